// quantize: the standard model with its encoder and pooler Linear layers
// dynamically quantized to int8 (LibTorch's quantized ops, as PyTorch's
// quantize_dynamic: int8 weights, activations quantized per call). One
// trained model; its operating points are fp32 and int8 on each engine.
#include <optional>

#include "greenbench/registry.h"
#include "model/exit_classifier_method.h"
#include "model/quantizable_linear.h"
#include "util/error.h"

namespace greenbench {
namespace {

class Quantize : public ExitClassifierMethod {
 public:
  std::vector<OperatingPoint> operating_points() const override {
    std::vector<OperatingPoint> points = {{"fp32", {{"arithmetic", "fp32"}}}};
    for (const auto& engine : engines_) points.push_back({"int8 " + engine, {{"arithmetic", "int8"}, {"engine", engine}}});
    return points;
  }

  nlohmann::json calibrate(MethodContext& context) override {
    nlohmann::json facts = ExitClassifierMethod::calibrate(context);
    prepare();
    return facts;
  }

  void load(const std::string& dir, const nlohmann::json& config) override {
    ExitClassifierMethod::load(dir, config);
    prepare();
  }

  void predict(const Batch& batch, const OperatingPoint& point, std::vector<Prediction>& out) override {
    select(point);
    ConfidenceRule never_early(2.0);
    predict_with_rule(batch, never_early, out);
  }

  ModelShape shape_at(const OperatingPoint& point) const override {
    ModelShape shape = ExitClassifierMethod::shape_at(point);
    const auto engine = engine_of(point);
    shape.weight_bytes = inference_weight_bytes(*model_, engine.has_value());
    if (engine) shape.arithmetic = "int8 dynamic (" + quantized_engine_name(*engine) + "); embeddings, LayerNorm and exit heads fp32";
    return shape;
  }

 protected:
  void configure(const nlohmann::json& config) override {
    engines_ = config.at("engines").get<std::vector<std::string>>();
    for (const auto& e : engines_) parse_quantized_engine(e);  // refuses an engine this LibTorch lacks
  }

  BertConfig shape(const MethodContext& context) const override {
    BertConfig config = context.model_config;
    config.exit_layers = {config.num_hidden_layers - 1};
    return config;
  }

 private:
  static std::optional<at::QEngine> engine_of(const OperatingPoint& point) {
    if (point.setting.value("arithmetic", "fp32") != "int8") return std::nullopt;
    return parse_quantized_engine(point.setting.at("engine").get<std::string>());
  }
  void prepare() {
    for (const auto& e : engines_) prepare_int8(*model_, parse_quantized_engine(e));
    active_.reset();
    use_int8(*model_, active_);
  }
  // Switching is a walk over the model's Linears, done when the point changes.
  void select(const OperatingPoint& point) {
    const auto engine = engine_of(point);
    if (engine == active_) return;
    use_int8(*model_, engine);
    active_ = engine;
  }

  std::vector<std::string> engines_;
  std::optional<at::QEngine> active_;
};

}  // namespace

void register_method_quantize(MethodRegistry& registry) {
  registry.add({"quantize", "baseline",
                "the standard model with int8 dynamic quantization of its Linear layers (config: engines)",
                {{"engines", supported_quantized_engines()}},
                [] { return std::make_unique<Quantize>(); }});
}

}  // namespace greenbench
