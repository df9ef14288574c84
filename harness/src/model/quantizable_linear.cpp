#include "model/quantizable_linear.h"

#include <ATen/core/dispatch/Dispatcher.h>

#include <algorithm>
#include <cmath>

#include "util/error.h"

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

torch::Tensor QuantizableLinearImpl::forward(const torch::Tensor& x) {
  if (!active_) return torch::linear(x, weight, bias);
  auto sizes = x.sizes().vec();
  auto y = active_->apply_dynamic(x.reshape({-1, in_features}).contiguous(), /*reduce_range=*/false);
  sizes.back() = out_features;
  return y.view(sizes);
}

void QuantizableLinearImpl::prepare_int8(at::QEngine engine) {
  for (auto& [e, packed] : packed_) {
    if (e == engine) {
      packed = pack(weight, bias, engine);  // weights may have changed since
      return;
    }
  }
  packed_.emplace_back(engine, pack(weight, bias, engine));
}

void QuantizableLinearImpl::use_int8(std::optional<at::QEngine> engine) {
  active_.reset();
  if (!engine) return;
  for (auto& [e, packed] : packed_) {
    if (e == *engine) {
      active_ = packed;
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

void use_int8(torch::nn::Module& root, std::optional<at::QEngine> engine) {
  for (auto& m : root.modules()) {
    if (auto* linear = m->as<QuantizableLinearImpl>()) linear->use_int8(engine);
  }
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
