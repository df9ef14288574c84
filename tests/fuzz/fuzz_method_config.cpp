// A hostile method config (`--config TEXT` of run and train, a run.json's
// "config"), given to every built-in method the way the harness gives it:
// parsed, merged over the method's defaults (merged_method_config), its
// "train" overrides read into TrainOptions, then handed to the method. A
// method reads its config before it touches the checkpoint folder, so
// Method::load on an empty folder runs each method's own config parsing and
// then stops at the missing checkpoint; no training is needed per input.
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "greenbench/bert/trainer.h"
#include "greenbench/registry.h"
#include "run/runner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace greenbench;
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(fuzz::as_text(data, size));
  } catch (const nlohmann::json::exception&) {
    return 0;  // `greenbench run` refuses text that is not JSON
  }
  const auto empty_checkpoint = fuzz::scratch_dir() / "no-checkpoint";
  for (const MethodInfo& info : method_registry().all()) {
    try {
      const nlohmann::json merged = merged_method_config(info.name, config);
      if (merged.is_object() && merged.contains("train")) {
        TrainOptions options;
        options.update_from_json(merged.at("train"));
      }
      info.make()->load(empty_checkpoint.string(), merged);
    } catch (const std::exception&) {
    }
  }
  return 0;
}
