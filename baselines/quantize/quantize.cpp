// quantize: the standard model with its encoder and pooler Linear layers in
// int8 (LibTorch's quantized ops, int8 weights), activations quantized either
// per call (dynamic, as PyTorch's quantize_dynamic) or with ranges observed on
// the calibration role (calibrated: fixed scales, so oneDNN reuses its
// compiled kernels; see suite/microbench/bench_quantized.cpp). One trained
// model, the standard one the harness shares; its operating points are fp32
// and int8 per activation mode and engine.
#include <algorithm>
#include <optional>

#include "greenbench/bert/exit_classifier_method.h"
#include "greenbench/bert/quantizable_linear.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"

namespace greenbench {
namespace {

class Quantize : public ExitClassifierMethod {
 public:
  std::vector<OperatingPoint> operating_points() const override {
    std::vector<OperatingPoint> points = {{"fp32", {{"arithmetic", "fp32"}}}};
    for (const auto& activations : activations_) {
      for (const auto& engine : engines_) {
        points.push_back({"int8 " + activations + " " + engine,
                          {{"arithmetic", "int8"}, {"engine", engine}, {"activations", activations}}});
      }
    }
    return points;
  }

  // The shared standard model (trained once per task), not a model of its own.
  nlohmann::json train(MethodContext& context) override {
    configure(context.config);
    BaseModel base = context.base_model();
    model_ = base.model;
    temperatures_ = base.temperatures;
    return {{"base_model", base.provenance}};
  }

  nlohmann::json calibrate(MethodContext& context) override {
    nlohmann::json facts = ExitClassifierMethod::calibrate(context);
    prepare_int8_engines(engines_);
    if (has_calibrated_points())
      facts["int8_activation_ranges"] = observe_activation_ranges(context.calibration);
    return facts;
  }

  void load(const std::string& dir, const nlohmann::json& config) override {
    ExitClassifierMethod::load(dir, config);
    prepare_int8_engines(engines_);
    if (has_calibrated_points())
      require_activation_ranges(dir);
  }

  void predict(const Batch& batch, const OperatingPoint& point, std::vector<Prediction>& out) override {
    LastExitRule last_exit;
    predict_with_rule(batch, point, last_exit, out);
  }

 protected:
  void configure(const nlohmann::json& config) override {
    engines_ = config.at("engines").get<std::vector<std::string>>();
    for (const auto& e : engines_) parse_quantized_engine(e);  // refuses an engine this LibTorch lacks
    activations_ = config.value("activations", std::vector<std::string>{"dynamic"});
    for (const auto& a : activations_) parse_int8_activations(a);
  }

  BertConfig shape(const MethodContext& context) const override {
    BertConfig config = context.model_config;
    config.exit_layers = {config.num_hidden_layers - 1};
    return config;
  }

 private:
  bool has_calibrated_points() const {
    return std::find(activations_.begin(), activations_.end(), "calibrated") != activations_.end();
  }
  std::vector<std::string> engines_, activations_;
};

}  // namespace

void register_method_quantize(MethodRegistry& registry) {
  registry.add({"quantize", "baseline",
                "the standard model with its Linear layers in int8, activations quantized per call or with "
                "calibrated ranges (config: engines, activations)",
                {{"engines", supported_quantized_engines()}, {"activations", {"dynamic", "calibrated"}}},
                [] { return std::make_unique<Quantize>(); }});
}

}  // namespace greenbench
