// truncated: the paper's efficient baseline, the model cut after layer k with
// one classifier there, trained on its own.
#include "greenbench/bert/exit_classifier_method.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"

namespace greenbench {
namespace {

class Truncated : public ExitClassifierMethod {
 public:
  std::vector<OperatingPoint> operating_points() const override { return {{"full", nlohmann::json::object()}}; }
  void predict(const Batch& batch, const OperatingPoint&, std::vector<Prediction>& out) override {
    LastExitRule last_exit;
    predict_with_rule(batch, last_exit, out);
  }

 protected:
  BertConfig shape(const MethodContext& context) const override {
    BertConfig config = context.model_config;
    const int layers = context.config.at("layers").get<int>();
    if (layers < 1 || layers > config.num_hidden_layers)
      throw Error("truncated: 'layers' must be in [1, " + std::to_string(config.num_hidden_layers) + "], got " +
                  std::to_string(layers));
    config.num_hidden_layers = layers;
    config.exit_layers = {layers - 1};
    return config;
  }
};

}  // namespace

void register_method_truncated(MethodRegistry& registry) {
  registry.add({"truncated", "baseline", "the model cut after k layers, one classifier there (config: layers)",
                {{"layers", 1}}, [] { return std::make_unique<Truncated>(); }});
}

}  // namespace greenbench
