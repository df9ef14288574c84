// standard: the usual fine-tuned model, one classifier on the last layer.
#include "greenbench/bert/exit_classifier_method.h"
#include "greenbench/registry.h"

namespace greenbench {
namespace {

class Standard : public ExitClassifierMethod {
 public:
  std::vector<OperatingPoint> operating_points() const override { return {{"full", nlohmann::json::object()}}; }
  void predict(const Batch& batch, const OperatingPoint&, std::vector<Prediction>& out) override {
    LastExitRule last_exit;  // one exit: the last layer always answers
    predict_with_rule(batch, last_exit, out);
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
                nlohmann::json::object(), [] { return std::make_unique<Standard>(); },
                /*provides_base_model=*/true});
}

}  // namespace greenbench
