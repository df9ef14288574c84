// A Linear layer that can also run as LibTorch's quantized int8 Linear (int8
// weights), with its activations quantized either per call from their own
// range (dynamic, like PyTorch's quantize_dynamic) or with ranges observed
// ahead of time on calibration data (static, like PyTorch's post-training
// static quantization, but with fp32 between the Linears). Its parameters
// keep the names "weight" and "bias", so checkpoints and Hugging Face imports
// are unchanged; int8 packs are derived from the fp32 weights and never saved.
#pragma once

#include <ATen/native/quantized/PackedParams.h>
#include <c10/core/QEngine.h>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace greenbench {

/// How an int8 Linear quantizes its input and output.
enum class Int8Activations {
  dynamic,     // input scale from each call's own range; fp32 output
  calibrated,  // input and output scales fixed from observed ranges
};
std::string int8_activations_name(Int8Activations activations);
/// "dynamic" or "calibrated"; throws greenbench::Error otherwise.
Int8Activations parse_int8_activations(const std::string& name);

/// The range of the values a tensor took over every observed call.
struct ObservedRange {
  float min = 0, max = 0;
  bool seen = false;
  void observe(const torch::Tensor& values);
};

struct QuantizableLinearImpl : torch::nn::Module {
  QuantizableLinearImpl(int64_t in_features, int64_t out_features);
  torch::Tensor forward(const torch::Tensor& x);
  /// Packs int8 weights for `engine`: per-tensor symmetric scale max|w|/127,
  /// PyTorch's default weight observer for dynamic quantization.
  void prepare_int8(at::QEngine engine);
  /// The arithmetic forward() uses: an engine prepared before, or nullopt
  /// for fp32. Calibrated activations need observed ranges.
  void use_int8(std::optional<at::QEngine> engine, Int8Activations activations = Int8Activations::dynamic);
  bool int8_active() const { return active_.defined(); }
  /// While on, forward() runs in fp32 and widens input_range and
  /// output_range; turning it on starts them empty.
  void observe_ranges(bool on);
  int64_t in_features, out_features;
  torch::Tensor weight, bias;
  ObservedRange input_range, output_range;

 private:
  torch::Tensor forward_calibrated(const torch::Tensor& x2d);
  using Packed = c10::intrusive_ptr<LinearPackedParamsBase>;
  std::vector<std::pair<at::QEngine, std::pair<Packed, Packed>>> packed_;  // per engine: dynamic, calibrated
  c10::intrusive_ptr<LinearPackedParamsBase> active_;
  bool calibrated_ = false, observing_ = false, pad_rows_ = false;
  double input_scale_ = 1, output_scale_ = 1;
  int64_t input_zero_point_ = 0, output_zero_point_ = 0;
};
TORCH_MODULE(QuantizableLinear);

/// Every QuantizableLinear under `root` (encoder and pooler of a BERT).
void prepare_int8(torch::nn::Module& root, at::QEngine engine);
/// Calibrated activations need every Linear's ranges; otherwise it throws
/// naming the Linears without, and changes nothing.
void use_int8(torch::nn::Module& root, std::optional<at::QEngine> engine,
              Int8Activations activations = Int8Activations::dynamic);
/// Turns range observation on or off in every QuantizableLinear under `root`.
void observe_ranges(torch::nn::Module& root, bool on);
/// The observed ranges by module name, {"name": [in_min, in_max, out_min,
/// out_max]}, and back; restoring refuses a name the model lacks (Linears it
/// does not name keep their ranges; calibrated int8 refuses any without).
nlohmann::json observed_ranges_to_json(const torch::nn::Module& root);
void restore_observed_ranges(torch::nn::Module& root, const nlohmann::json& ranges);
/// Bytes of `root`'s parameters as inference holds them: 4 per value, or 1
/// per QuantizableLinear weight when those run in int8.
int64_t inference_weight_bytes(const torch::nn::Module& root, bool int8_linears);

/// x -> quint8 codes clamp(nearbyint(x / scale) + zero_point, 0, 255), and
/// back: as at::quantize_per_tensor and dequantize compute them, vectorised.
void quantize_to_quint8(const float* x, int64_t n, double scale, int64_t zero_point, uint8_t* out);
void dequantize_quint8(const uint8_t* codes, int64_t n, double scale, int64_t zero_point, float* out);

/// "qnnpack" or "onednn" -> the engine; throws greenbench::Error naming the
/// engines this LibTorch supports when the name is unknown or not built in.
at::QEngine parse_quantized_engine(const std::string& name);
std::string quantized_engine_name(at::QEngine engine);
/// The quantized engines this LibTorch was built with, by our names.
std::vector<std::string> supported_quantized_engines();

}  // namespace greenbench
