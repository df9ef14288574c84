// A Linear layer that can also run as LibTorch's dynamically quantized int8
// Linear (int8 weights, activations quantized per call), like PyTorch's
// quantize_dynamic. Its parameters keep the names "weight" and "bias", so
// checkpoints and Hugging Face imports are unchanged; int8 packs are derived
// from the fp32 weights and never saved.
#pragma once

#include <ATen/native/quantized/PackedParams.h>
#include <c10/core/QEngine.h>
#include <torch/torch.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace greenbench {

struct QuantizableLinearImpl : torch::nn::Module {
  QuantizableLinearImpl(int64_t in_features, int64_t out_features);
  torch::Tensor forward(const torch::Tensor& x);
  /// Packs int8 weights for `engine`: per-tensor symmetric scale max|w|/127,
  /// PyTorch's default weight observer for dynamic quantization.
  void prepare_int8(at::QEngine engine);
  /// The arithmetic forward() uses: an engine prepared before, or nullopt for fp32.
  void use_int8(std::optional<at::QEngine> engine);
  bool int8_active() const { return active_.defined(); }
  int64_t in_features, out_features;
  torch::Tensor weight, bias;

 private:
  std::vector<std::pair<at::QEngine, c10::intrusive_ptr<LinearPackedParamsBase>>> packed_;
  c10::intrusive_ptr<LinearPackedParamsBase> active_;
};
TORCH_MODULE(QuantizableLinear);

/// Every QuantizableLinear under `root` (encoder and pooler of a BERT).
void prepare_int8(torch::nn::Module& root, at::QEngine engine);
void use_int8(torch::nn::Module& root, std::optional<at::QEngine> engine);
/// Bytes of `root`'s parameters as inference holds them: 4 per value, or 1
/// per QuantizableLinear weight when those run in int8.
int64_t inference_weight_bytes(const torch::nn::Module& root, bool int8_linears);

/// "qnnpack" or "onednn" -> the engine; throws greenbench::Error naming the
/// engines this LibTorch supports when the name is unknown or not built in.
at::QEngine parse_quantized_engine(const std::string& name);
std::string quantized_engine_name(at::QEngine engine);
/// The quantized engines this LibTorch was built with, by our names.
std::vector<std::string> supported_quantized_engines();

}  // namespace greenbench
