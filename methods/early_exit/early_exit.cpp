// early_exit (Schwartz et al. 2020): classifiers at several layers trained
// together; at test time an instance leaves at the first exit whose calibrated
// confidence reaches the threshold. One trained model gives the whole
// speed/accuracy curve: each threshold is an operating point. The same model
// also answers under two peers' exit rules, each its own curve: entropy below
// a threshold (DeeBERT) and patience (PABEE). Their papers train differently
// (DeeBERT in two stages, PABEE with loss weights rising by depth); here all
// rules share the paper's jointly trained, calibrated model, so the curves
// compare the rules alone. A few thresholds also run on the int8 model
// (see baselines/quantize; activation ranges calibrated on the calibration
// role by default): early exit on a quantized model.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "greenbench/bert/exit_classifier_method.h"
#include "greenbench/bert/quantizable_linear.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "methods/early_exit/exit_rules.h"

namespace greenbench {
namespace {

class EarlyExit : public ExitClassifierMethod {
 public:
  std::vector<OperatingPoint> operating_points() const override {
    // Confidence last: its t=1.00 (every instance to the last layer) is the
    // headline. The default thresholds start at 0: everyone leaves at the
    // first exit (with exits at every layer, a 1-layer truncated model's cost).
    std::vector<OperatingPoint> points;
    char name[32];
    for (double h : entropy_thresholds_) {
      std::snprintf(name, sizeof name, "H<%.2f", h);
      points.push_back({name, {{"rule", "entropy"}, {"threshold", h}}});
    }
    for (int p : patience_) {
      std::snprintf(name, sizeof name, "patience=%d", p);
      points.push_back({name, {{"rule", "patience"}, {"patience", p}}});
    }
    for (double t : int8_thresholds_) {
      std::snprintf(name, sizeof name, "int8 t=%.2f", t);
      points.push_back({name,
                        {{"threshold", t}, {"arithmetic", "int8"}, {"engine", int8_engine_}, {"activations", int8_activations_}}});
    }
    const auto thresholds = model_ ? distinct_confidence_thresholds(thresholds_, model_->config.num_labels) : thresholds_;
    for (double t : thresholds) {
      std::snprintf(name, sizeof name, "t=%.2f", t);
      points.push_back({name, {{"threshold", t}}});
    }
    return points;
  }

  void predict(const Batch& batch, const OperatingPoint& point, std::vector<Prediction>& out) override {
    const std::string rule = point.setting.value("rule", "confidence");
    if (rule == "entropy") {
      EntropyRule entropy(point.setting.at("threshold").get<double>());
      predict_with_rule(batch, point, entropy, out);
    } else if (rule == "patience") {
      PatienceRule patience(point.setting.at("patience").get<int>(), batch.input.input_ids.size(0));
      predict_with_rule(batch, point, patience, out);
    } else {
      ConfidenceRule confidence(point.setting.at("threshold").get<double>());
      predict_with_rule(batch, point, confidence, out);
    }
  }

  // Early exit on the int8 model: its packs are made once the weights are
  // final, its activation ranges observed on the calibration role.
  nlohmann::json calibrate(MethodContext& context) override {
    nlohmann::json facts = ExitClassifierMethod::calibrate(context);
    if (int8_thresholds_.empty()) return facts;
    prepare_int8_engines({int8_engine_});
    if (int8_activations_ == "calibrated") facts["int8_activation_ranges"] = observe_activation_ranges(context.calibration);
    return facts;
  }

  void load(const std::string& dir, const nlohmann::json& config) override {
    ExitClassifierMethod::load(dir, config);
    if (int8_thresholds_.empty()) return;
    prepare_int8_engines({int8_engine_});
    if (int8_activations_ == "calibrated") require_activation_ranges(dir);
  }

  nlohmann::json analyse(const EncodedSet& test) override { return exit_analysis(model_, test); }

 protected:
  void configure(const nlohmann::json& config) override {
    thresholds_ = config.at("thresholds").get<std::vector<double>>();
    if (thresholds_.empty()) throw Error("early_exit: 'thresholds' is empty");
    entropy_thresholds_ = config.value("entropy_thresholds", std::vector<double>{});
    patience_ = config.value("patience", std::vector<int>{});
    const auto int8 = config.value("int8", nlohmann::json::object());
    int8_thresholds_ = int8.value("thresholds", std::vector<double>{});
    int8_engine_ = int8.value("engine", std::string("onednn"));
    int8_activations_ = int8.value("activations", std::string("dynamic"));  // checkpoints saved before the key meant dynamic
    if (!int8_thresholds_.empty()) {
      parse_quantized_engine(int8_engine_);  // refuses an engine this LibTorch lacks
      parse_int8_activations(int8_activations_);
    }
    for (int p : patience_)
      if (p < 0) throw Error("early_exit: 'patience' values must be 0 or more, got " + std::to_string(p));
    // A confidence is a probability and the entropy is normalised by ln C, so a
    // threshold outside [0, 1] only repeats the point at 0 or at 1 under another name.
    auto check_unit_interval = [](const char* key, const std::vector<double>& values) {
      for (double t : values)
        if (!(t >= 0 && t <= 1)) throw Error(std::string("early_exit: '") + key + "' values must be in [0, 1], got " + std::to_string(t));
    };
    check_unit_interval("thresholds", thresholds_);
    check_unit_interval("entropy_thresholds", entropy_thresholds_);
    check_unit_interval("int8.thresholds", int8_thresholds_);
  }

  BertConfig shape(const MethodContext& context) const override {
    BertConfig config = context.model_config;
    const auto& exits = context.config.at("exit_layers");
    config.exit_layers.clear();
    if (exits.is_string() && exits.get<std::string>() == "all") {
      for (int i = 0; i < config.num_hidden_layers; ++i) config.exit_layers.push_back(i);
    } else {
      config.exit_layers = exits.get<std::vector<int>>();
    }
    config.exit_poolers = context.config.value("exit_poolers", std::string("shared"));  // checkpoints saved before the key
    config.validate();
    return config;
  }

 private:
  std::vector<double> thresholds_, entropy_thresholds_, int8_thresholds_;
  std::string int8_engine_, int8_activations_;
  std::vector<int> patience_;
};

// oneDNN where this LibTorch has it (fast int8 GEMM on x86), else the first it has.
std::string default_int8_engine() {
  const auto engines = supported_quantized_engines();
  for (const auto& e : engines)
    if (e == "onednn") return e;
  return engines.empty() ? "onednn" : engines.front();
}

}  // namespace

void register_method_early_exit(MethodRegistry& registry) {
  registry.add({"early_exit", "method",
                "Schwartz et al. 2020: exits at several layers, calibrated, leave at the first confident one",
                {{"exit_layers", "all"},
                 {"exit_poolers", "shared"},
                 {"thresholds", {0.0, 0.34, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99, 1.0}},
                 {"entropy_thresholds", {0.05, 0.1, 0.2, 0.3, 0.45, 0.6}},
                 {"patience", {0, 1, 2, 3}},
                 {"int8",
                  {{"engine", default_int8_engine()}, {"activations", "calibrated"}, {"thresholds", {0.5, 0.7, 0.9, 1.0}}}}},
                [] { return std::make_unique<EarlyExit>(); }});
}

}  // namespace greenbench
