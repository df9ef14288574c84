// A well-formed plugin, built like an out-of-tree one (greenbench_add_plugin):
// registers `plugin_probe`, a baseline (so the test can see that the family
// comes from the plugin) built on the shared exit-classifier engine: one
// classifier after the last layer, one operating point.
#include <memory>
#include <vector>

#include "greenbench/plugin.h"
#include "model/exit_classifier_method.h"

namespace {

using namespace greenbench;

class PluginProbe : public ExitClassifierMethod {
 public:
  std::vector<OperatingPoint> operating_points() const override { return {{"full", nlohmann::json::object()}}; }
  void predict(const Batch& batch, const OperatingPoint&, std::vector<Prediction>& out) override {
    ConfidenceRule never_early(2.0);
    predict_with_rule(batch, never_early, out);
  }

 protected:
  BertConfig shape(const MethodContext& context) const override {
    BertConfig config = context.model_config;
    config.exit_layers = {config.num_hidden_layers - 1};
    return config;
  }
};

void register_probe(MethodRegistry& registry) {
  registry.add({"plugin_probe", "baseline", "test plugin: one classifier after the last layer",
                {{"probe", true}}, [] { return std::make_unique<PluginProbe>(); }});
}

}  // namespace

GREENBENCH_PLUGIN(register_probe)
