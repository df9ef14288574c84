// standard: the usual fine-tuned model, one classifier on the last layer.
#include "greenbench/registry.h"
#include "model/exit_classifier_method.h"

namespace greenbench {
namespace {

class Standard : public ExitClassifierMethod {
 public:
  std::vector<OperatingPoint> operating_points() const override { return {{"full", nlohmann::json::object()}}; }
  void predict(const Batch& batch, const OperatingPoint&, std::vector<Prediction>& out) override {
    ConfidenceRule never_early(2.0);  // one exit: the last layer always answers
    predict_with_rule(batch, never_early, out);
  }

 protected:
  BertConfig shape(const MethodContext& context) const override {
    BertConfig config = context.model_config;
    config.exit_layers = {config.num_hidden_layers - 1};
    return config;
  }
};

}  // namespace

void register_method_standard(MethodRegistry& registry) {
  registry.add({"standard", "baseline", "one classifier on the last layer (the model everyone reports)",
                nlohmann::json::object(), [] { return std::make_unique<Standard>(); }});
}

}  // namespace greenbench
