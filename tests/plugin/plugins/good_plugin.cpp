// A well-formed plugin, built like an out-of-tree one (greenbench_add_plugin):
// registers `plugin_probe`, a baseline (so the test can see that the family
// comes from the plugin) built on the shared exit-classifier engine: one
// classifier after the last layer, one operating point; and a task,
// `plugin_lines`: one "text<TAB>label" line per example in SPLIT.tsv.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "greenbench/bert/exit_classifier_method.h"
#include "greenbench/error.h"
#include "greenbench/plugin.h"

namespace {

using namespace greenbench;

class PluginProbe : public ExitClassifierMethod {
 public:
  std::vector<OperatingPoint> operating_points() const override { return {{"full", nlohmann::json::object()}}; }
  void predict(const Batch& batch, const OperatingPoint&, std::vector<Prediction>& out) override {
    LastExitRule last_exit;
    predict_with_rule(batch, last_exit, out);
  }

 protected:
  BertConfig shape(const MethodContext& context) const override {
    BertConfig config = context.model_config;
    config.exit_layers = {config.num_hidden_layers - 1};
    return config;
  }
};

class PluginLines : public Task {
 public:
  std::string name() const override { return "plugin_lines"; }
  std::string display_name() const override { return "Plugin lines"; }
  std::vector<std::string> label_names() const override { return {"no", "yes"}; }
  bool is_pair() const override { return false; }
  std::vector<DataSource> sources() const override { return {}; }
  bool has_split(const std::string& task_dir, const std::string& split) const override {
    return std::ifstream(task_dir + "/" + split + ".tsv").good();
  }
  Split load_split(const std::string& task_dir, const std::string& split) const override {
    Split out;
    out.name = split;
    out.files = {task_dir + "/" + split + ".tsv"};
    std::ifstream in(out.files.front());
    if (!in) throw DataMissingError(out.files.front() + ": no such file");
    long number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      const size_t tab = line.rfind('\t');
      if (tab == std::string::npos) throw DataFormatError(out.files.front(), number, "text<TAB>label");
      out.examples.push_back({line.substr(0, tab), "", std::stoi(line.substr(tab + 1))});
    }
    return out;
  }
};

void register_lines(TaskRegistry& registry) {
  registry.add([] { return std::make_unique<PluginLines>(); });
}

void register_probe(MethodRegistry& registry) {
  registry.add({"plugin_probe", "baseline", "test plugin: one classifier after the last layer",
                {{"probe", true}}, [] { return std::make_unique<PluginProbe>(); }});
}

}  // namespace

GREENBENCH_PLUGIN(register_probe)
GREENBENCH_PLUGIN_TASKS(register_lines)
