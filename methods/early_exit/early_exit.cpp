// early_exit (Schwartz et al. 2020): classifiers at several layers trained
// together; at test time an instance leaves at the first exit whose calibrated
// confidence reaches the threshold. One trained model gives the whole
// speed/accuracy curve: each threshold is an operating point.
#include <cstdio>

#include "greenbench/registry.h"
#include "model/exit_classifier_method.h"
#include "util/error.h"

namespace greenbench {
namespace {

class EarlyExit : public ExitClassifierMethod {
 public:
  std::vector<OperatingPoint> operating_points() const override {
    std::vector<OperatingPoint> points;
    for (double t : thresholds_) {
      char name[32];
      std::snprintf(name, sizeof name, "t=%.2f", t);
      points.push_back({name, {{"threshold", t}}});
    }
    return points;
  }

  void predict(const Batch& batch, const OperatingPoint& point, std::vector<Prediction>& out) override {
    ConfidenceRule rule(point.setting.at("threshold").get<double>());
    predict_with_rule(batch, rule, out);
  }

  nlohmann::json analyse(const EncodedSet& test) override { return exit_analysis(model_, test); }

 protected:
  void configure(const nlohmann::json& config) override {
    thresholds_ = config.at("thresholds").get<std::vector<double>>();
    if (thresholds_.empty()) throw Error("early_exit: 'thresholds' is empty");
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
    config.validate();
    return config;
  }

 private:
  std::vector<double> thresholds_;
};

}  // namespace

void register_method_early_exit(MethodRegistry& registry) {
  registry.add({"early_exit", "method",
                "Schwartz et al. 2020: exits at several layers, calibrated, leave at the first confident one",
                {{"exit_layers", "all"},
                 {"thresholds", {0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99, 1.0}}},
                [] { return std::make_unique<EarlyExit>(); }});
}

}  // namespace greenbench
