// two_exit: greenbench's example out-of-tree plugin. A BERT with two
// classifiers, after the middle layer and after the last, trained together
// and calibrated by the shared exit-classifier engine; at test time an
// instance leaves at the middle exit when its calibrated confidence reaches
// the threshold. Each threshold is an operating point. The harness, not this
// plugin, counts FLOPs and time: predict() reports the path each instance
// took (layers run, heads evaluated) and shape_at() the model that ran.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "greenbench/bert/exit_classifier_method.h"
#include "greenbench/error.h"
#include "greenbench/plugin.h"

namespace two_exit {

using namespace greenbench;

// Leaves at the middle exit when the calibrated top probability reaches the
// threshold (the engine lets the last exit answer the rest). A threshold of 1
// sends everyone on: float softmax can round a top probability to exactly 1.
class ThresholdRule : public ExitRule {
 public:
  explicit ThresholdRule(double threshold) : threshold_(threshold) {}
  torch::Tensor should_exit(int, const torch::Tensor& probs, const torch::Tensor&) override {
    if (threshold_ >= 1.0) return torch::zeros({probs.size(0)}, torch::kBool);
    return std::get<0>(probs.max(1)).ge(threshold_);
  }

 private:
  double threshold_;
};

class TwoExit : public ExitClassifierMethod {
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
    ThresholdRule rule(point.setting.at("threshold").get<double>());
    predict_with_rule(batch, rule, out);
  }

  nlohmann::json analyse(const EncodedSet& test) override { return exit_analysis(model_, test); }

 protected:
  void configure(const nlohmann::json& config) override {
    thresholds_ = config.at("thresholds").get<std::vector<double>>();
    if (thresholds_.empty()) throw Error("two_exit: 'thresholds' is empty");
  }

  // The suite's backbone with exits after layer L/2 and layer L (one exit
  // when the model has a single layer).
  BertConfig shape(const MethodContext& context) const override {
    BertConfig config = context.model_config;
    const int last = config.num_hidden_layers - 1;
    const int middle = std::max(0, config.num_hidden_layers / 2 - 1);
    config.exit_layers = middle < last ? std::vector<int>{middle, last} : std::vector<int>{last};
    config.validate();
    return config;
  }

 private:
  std::vector<double> thresholds_;
};

void register_methods(MethodRegistry& registry) {
  registry.add({"two_exit", "method",
                "example plugin (examples/plugin): exits after the middle and the last layer, confidence threshold",
                {{"thresholds", {0.5, 0.7, 0.9, 1.0}}},
                [] { return std::make_unique<TwoExit>(); }});
}

}  // namespace two_exit

GREENBENCH_PLUGIN(two_exit::register_methods)
