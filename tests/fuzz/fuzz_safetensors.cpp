// A hostile safetensors file (a checkpoint's weights, a pretrained encoder):
// parse_safetensors promises an exception naming the file for any
// inconsistency, never a crash or an out-of-bounds read.
#include <cstdint>
#include <exception>

#include "fuzz_support.h"
#include "model/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace greenbench;
  try {
    const SafetensorsFile file = parse_safetensors(fuzz::as_text(data, size), "fuzz.safetensors");
    // Every tensor it returns owns readable memory of the size it claims.
    for (const auto& [name, tensor] : file.tensors) (void)tensor.sum().item<double>();
  } catch (const std::exception&) {
  }
  return 0;
}
