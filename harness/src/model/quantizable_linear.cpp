#include "greenbench/bert/quantizable_linear.h"

#include <ATen/core/dispatch/Dispatcher.h>
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

// The rounding trick in quantize_to_quint8 needs IEEE arithmetic as written.
#ifdef __FAST_MATH__
#error "quantizable_linear.cpp must not be compiled with -ffast-math"
#endif

#include "greenbench/error.h"

namespace greenbench {
namespace {
using PackedLinear = c10::intrusive_ptr<LinearPackedParamsBase>;

// quantized::linear_prepack packs for the engine selected globally at the
// time of the call, so the engine is set around it.
PackedLinear pack(const torch::Tensor& weight, const torch::Tensor& bias, at::QEngine engine) {
  static auto prepack = c10::Dispatcher::singleton()
                            .findSchemaOrThrow("quantized::linear_prepack", "")
                            .typed<PackedLinear(at::Tensor, c10::optional<at::Tensor>)>();
  torch::NoGradGuard no_grad;
  const at::QEngine before = at::globalContext().qEngine();
  at::globalContext().setQEngine(engine);
  auto w = weight.detach().contiguous();
  const double scale = std::max(w.abs().max().item<double>(), 1e-12) / 127.0;
  auto qweight = at::quantize_per_tensor(w, scale, 0, at::kQInt8);
  PackedLinear packed = prepack.call(qweight, bias.defined() ? c10::optional<at::Tensor>(bias.detach()) : c10::nullopt);
  at::globalContext().setQEngine(before);
  return packed;
}

// quint8 parameters covering [min, max] and zero (so zero padding is exact).
std::pair<double, int64_t> quint8_params(const ObservedRange& range) {
  const double lo = std::min<double>(range.min, 0.0), hi = std::max<double>(range.max, 0.0);
  // Floored at float epsilon, as PyTorch's MinMaxObserver does, so a
  // constant range still gets a usable scale.
  const double scale = std::max((hi - lo) / 255.0, static_cast<double>(std::numeric_limits<float>::epsilon()));
  const auto zero_point = static_cast<int64_t>(std::clamp(std::nearbyint(-lo / scale), 0.0, 255.0));
  return {scale, zero_point};
}

// oneDNN compiles one kernel per input shape and scale; with calibrated
// scales the shape alone decides, so its rows are padded up to a bucket
// (multiples of 16 up to 256 rows, AMX's tile height; above that eight
// buckets per doubling, at most 1/8 extra rows) and a model meets a few
// dozen shapes per Linear instead of one per length.
int64_t bucketed_rows(int64_t rows) {
  int64_t step = 16;
  while (step * 16 < rows) step *= 2;
  return (rows + step - 1) / step * step;
}

// Room in oneDNN's primitive cache (default 1024) for every Linear's buckets,
// so steady-state calls do not evict and recompile each other's kernels.
void widen_onednn_primitive_cache() {
  static const bool done = [] {
    using GetFn = int (*)(int*);
    using SetFn = int (*)(int);
    auto get = reinterpret_cast<GetFn>(dlsym(RTLD_DEFAULT, "dnnl_get_primitive_cache_capacity"));
    auto set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "dnnl_set_primitive_cache_capacity"));
    int capacity = 0;
    if (get && set && get(&capacity) == 0 && capacity < 4096) set(4096);
    return true;
  }();
  (void)done;
}

const std::vector<std::pair<std::string, at::QEngine>>& engine_names() {
  static const std::vector<std::pair<std::string, at::QEngine>> names = {
      {"qnnpack", at::QEngine::QNNPACK}, {"onednn", at::QEngine::ONEDNN}, {"fbgemm", at::QEngine::FBGEMM},
      {"x86", at::QEngine::X86}};
  return names;
}
}  // namespace

QuantizableLinearImpl::QuantizableLinearImpl(int64_t in, int64_t out) : in_features(in), out_features(out) {
  weight = register_parameter("weight", torch::empty({out, in}));
  bias = register_parameter("bias", torch::zeros({out}));
  torch::NoGradGuard no_grad;
  // torch::nn::Linear's own initialisation first, only for its random draws:
  // the same seed then gives the same model as when the encoder used
  // torch::nn::Linear. Then Hugging Face's N(0, 0.02) and zero bias.
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  torch::nn::init::uniform_(bias, -1.0 / std::sqrt(static_cast<double>(in)), 1.0 / std::sqrt(static_cast<double>(in)));
  weight.normal_(0.0, 0.02);
  bias.zero_();
}

// ATen's quantize_per_tensor and dequantize are scalar loops without FBGEMM,
// and a chain of ATen element-wise ops pays ~5 us of dispatch per op; at
// batch 1 either costs as much as the int8 product. These loops vectorise.
// Rounding: adding and subtracting 1.5 * 2^23 rounds to nearest even, as
// nearbyint does, for the clamped values here.
void quantize_to_quint8(const float* x, int64_t n, double scale, int64_t zero_point, uint8_t* out) {
  const float inverse = 1.0f / static_cast<float>(scale), magic = 12582912.0f;  // as ATen's quantize_val
  const float lo = static_cast<float>(-zero_point), hi = static_cast<float>(255 - zero_point);
  const auto zp = static_cast<int32_t>(zero_point);
  for (int64_t i = 0; i < n; ++i) {
    const float v = std::min(std::max(x[i] * inverse, lo), hi);
    out[i] = static_cast<uint8_t>(static_cast<int32_t>((v + magic) - magic) + zp);
  }
}

void dequantize_quint8(const uint8_t* q, int64_t n, double scale, int64_t zero_point, float* out) {
  const auto s = static_cast<float>(scale);
  const auto zp = static_cast<int32_t>(zero_point);
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(static_cast<int32_t>(q[i]) - zp) * s;
}

void ObservedRange::observe(const torch::Tensor& values) {
  if (values.numel() == 0) return;
  const auto [lo, hi] = torch::aminmax(values);
  const float a = lo.item<float>(), b = hi.item<float>();
  if (!std::isfinite(a) || !std::isfinite(b)) throw Error("observed a non-finite activation; ranges need finite values");
  min = seen ? std::min(min, a) : a;
  max = seen ? std::max(max, b) : b;
  seen = true;
}

std::string int8_activations_name(Int8Activations activations) {
  return activations == Int8Activations::dynamic ? "dynamic" : "calibrated";
}

Int8Activations parse_int8_activations(const std::string& name) {
  if (name == "dynamic") return Int8Activations::dynamic;
  if (name == "calibrated") return Int8Activations::calibrated;
  throw Error("int8 activations '" + name + "': expected \"dynamic\" or \"calibrated\"");
}

torch::Tensor QuantizableLinearImpl::forward(const torch::Tensor& x) {
  if (observing_) {
    auto y = torch::linear(x, weight, bias);
    input_range.observe(x);
    output_range.observe(y);
    return y;
  }
  if (!active_) return torch::linear(x, weight, bias);
  auto sizes = x.sizes().vec();
  auto x2d = x.reshape({-1, in_features}).contiguous();
  auto y = calibrated_ ? forward_calibrated(x2d) : active_->apply_dynamic(x2d, /*reduce_range=*/false);
  sizes.back() = out_features;
  return y.view(sizes);
}

torch::Tensor QuantizableLinearImpl::forward_calibrated(const torch::Tensor& x2d) {
  if (x2d.scalar_type() != torch::kFloat) throw Error("calibrated int8 Linear: expected fp32 input");
  const int64_t rows = x2d.size(0), padded = pad_rows_ ? bucketed_rows(rows) : rows;
  auto qx = at::_empty_affine_quantized({padded, in_features}, at::device(torch::kCPU).dtype(torch::kQUInt8),
                                        input_scale_, input_zero_point_);
  auto* codes = reinterpret_cast<uint8_t*>(qx.data_ptr<c10::quint8>());
  quantize_to_quint8(x2d.data_ptr<float>(), rows * in_features, input_scale_, input_zero_point_, codes);
  std::fill(codes + rows * in_features, codes + padded * in_features, static_cast<uint8_t>(input_zero_point_));
  auto qy = active_->apply(qx, output_scale_, output_zero_point_);
  auto y = torch::empty({rows, out_features});
  dequantize_quint8(reinterpret_cast<const uint8_t*>(qy.data_ptr<c10::quint8>()), rows * out_features, output_scale_,
                    output_zero_point_, y.data_ptr<float>());
  return y;
}

void QuantizableLinearImpl::observe_ranges(bool on) {
  if (on) input_range = output_range = ObservedRange{};
  observing_ = on;
}

void QuantizableLinearImpl::prepare_int8(at::QEngine engine) {
  // One pack per activation mode: oneDNN's first static call reorders the
  // packed weight in place for its own kernel, which the dynamic kernel
  // cached on that pack then misreads.
  for (auto& [e, packs] : packed_) {
    if (e == engine) {
      packs = {pack(weight, bias, engine), pack(weight, bias, engine)};  // weights may have changed since
      return;
    }
  }
  packed_.push_back({engine, {pack(weight, bias, engine), pack(weight, bias, engine)}});
}

void QuantizableLinearImpl::use_int8(std::optional<at::QEngine> engine, Int8Activations activations) {
  active_.reset();
  calibrated_ = false;
  if (!engine) return;
  if (activations == Int8Activations::calibrated) {
    if (!input_range.seen || !output_range.seen)
      throw Error("calibrated int8 activations need observed ranges; none were observed for this Linear");
    std::tie(input_scale_, input_zero_point_) = quint8_params(input_range);
    std::tie(output_scale_, output_zero_point_) = quint8_params(output_range);
    pad_rows_ = *engine == at::QEngine::ONEDNN || *engine == at::QEngine::X86;  // QNNPACK compiles nothing per shape
    if (pad_rows_) widen_onednn_primitive_cache();
  }
  for (auto& [e, packs] : packed_) {
    if (e == *engine) {
      calibrated_ = activations == Int8Activations::calibrated;
      active_ = calibrated_ ? packs.second : packs.first;
      return;
    }
  }
  throw Error("int8 weights for engine " + quantized_engine_name(*engine) + " were not prepared");
}

void prepare_int8(torch::nn::Module& root, at::QEngine engine) {
  for (auto& m : root.modules()) {
    if (auto* linear = m->as<QuantizableLinearImpl>()) linear->prepare_int8(engine);
  }
}

void use_int8(torch::nn::Module& root, std::optional<at::QEngine> engine, Int8Activations activations) {
  // Every Linear is checked before any switches, so a refusal leaves the
  // model whole in its previous arithmetic.
  if (engine && activations == Int8Activations::calibrated) {
    std::string missing;
    for (const auto& item : root.named_modules()) {
      const auto* linear = item.value()->as<QuantizableLinearImpl>();
      if (linear && (!linear->input_range.seen || !linear->output_range.seen))
        missing += (missing.empty() ? "" : ", ") + (item.key().empty() ? std::string("(root)") : item.key());
    }
    if (!missing.empty())
      throw Error("calibrated int8 activations need observed ranges, and none were observed for: " + missing +
                  " (observe them on calibration data, or use dynamic activations)");
  }
  for (auto& m : root.modules()) {
    if (auto* linear = m->as<QuantizableLinearImpl>()) linear->use_int8(engine, activations);
  }
}

void observe_ranges(torch::nn::Module& root, bool on) {
  for (auto& m : root.modules()) {
    if (auto* linear = m->as<QuantizableLinearImpl>()) linear->observe_ranges(on);
  }
}

nlohmann::json observed_ranges_to_json(const torch::nn::Module& root) {
  nlohmann::json ranges = nlohmann::json::object();
  for (const auto& item : root.named_modules()) {
    const auto* linear = item.value()->as<QuantizableLinearImpl>();
    if (!linear || !linear->input_range.seen || !linear->output_range.seen) continue;
    ranges[item.key()] = {linear->input_range.min, linear->input_range.max, linear->output_range.min,
                          linear->output_range.max};
  }
  return ranges;
}

void restore_observed_ranges(torch::nn::Module& root, const nlohmann::json& ranges) {
  size_t restored = 0;
  for (auto& item : root.named_modules()) {
    auto* linear = item.value()->as<QuantizableLinearImpl>();
    if (!linear || !ranges.contains(item.key())) continue;
    const auto values = ranges.at(item.key()).get<std::vector<float>>();
    if (values.size() != 4) throw Error("observed range of " + item.key() + ": expected [in_min, in_max, out_min, out_max]");
    linear->input_range = {values[0], values[1], true};
    linear->output_range = {values[2], values[3], true};
    ++restored;
  }
  if (restored != ranges.size())
    throw Error("observed ranges name " + std::to_string(ranges.size()) + " Linear layers; the model has " +
                std::to_string(restored) + " of them");
}

int64_t inference_weight_bytes(const torch::nn::Module& root, bool int8_linears) {
  int64_t bytes = 0;
  for (const auto& p : root.parameters()) bytes += 4 * p.numel();
  if (!int8_linears) return bytes;
  for (const auto& m : root.modules()) {
    if (const auto* linear = m->as<QuantizableLinearImpl>()) bytes -= 3 * linear->weight.numel();
  }
  return bytes;
}

std::string quantized_engine_name(at::QEngine engine) {
  for (const auto& [name, e] : engine_names())
    if (e == engine) return name;
  return c10::toString(engine);
}

std::vector<std::string> supported_quantized_engines() {
  std::vector<std::string> names;
  for (at::QEngine e : at::globalContext().supportedQEngines()) {
    if (e != at::QEngine::NoQEngine) names.push_back(quantized_engine_name(e));
  }
  return names;
}

at::QEngine parse_quantized_engine(const std::string& name) {
  const auto supported = supported_quantized_engines();
  std::string known;
  for (const auto& s : supported) known += (known.empty() ? "" : ", ") + s;
  for (const auto& [n, e] : engine_names()) {
    if (n == name && std::find(supported.begin(), supported.end(), n) != supported.end()) return e;
  }
  throw Error("quantized engine '" + name + "' is not available in this LibTorch; it has: " + known);
}

}  // namespace greenbench
