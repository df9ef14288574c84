#include "greenbench/bert/layer_subset.h"

#include <stdexcept>
#include <string>

namespace greenbench {

std::vector<int> evenly_spaced_layers(int total, int keep) {
  if (keep < 1 || keep > total) {
    throw std::invalid_argument("cannot keep " + std::to_string(keep) + " of " + std::to_string(total) +
                                " layers: keep must be in [1, " + std::to_string(total) + "]");
  }
  std::vector<int> layers;
  for (int i = 0; i < keep; ++i) layers.push_back(((i + 1) * total + keep - 1) / keep - 1);  // integer ceil
  return layers;
}

namespace {
// The name in `source` of the subset's parameter or buffer `name`.
std::string source_name(const std::string& name, const std::vector<int>& layers, int source_last_exit) {
  static const std::string layer_prefix = "bert.encoder.layer.";
  if (name.rfind(layer_prefix, 0) == 0) {
    const size_t dot = name.find('.', layer_prefix.size());
    const int index = std::stoi(name.substr(layer_prefix.size(), dot - layer_prefix.size()));
    return layer_prefix + std::to_string(layers.at(static_cast<size_t>(index))) + name.substr(dot);
  }
  // The subset's one exit (and its own pooler, if exits have their own) is the source's last.
  for (const std::string list : {"exits.", "exit_poolers."}) {
    if (name.rfind(list + "0.", 0) == 0) return list + std::to_string(source_last_exit) + name.substr(list.size() + 1);
  }
  return name;
}

void copy_named(const torch::OrderedDict<std::string, torch::Tensor>& from,
                torch::OrderedDict<std::string, torch::Tensor> to, const std::vector<int>& layers, int source_last_exit) {
  for (auto& item : to) {
    const std::string name = source_name(item.key(), layers, source_last_exit);
    const torch::Tensor* source = from.find(name);
    if (!source || !source->sizes().equals(item.value().sizes())) {
      throw std::invalid_argument("layer_subset: the source has no '" + name + "' shaped like the subset's '" + item.key() + "'");
    }
    item.value().copy_(*source);
  }
}
}  // namespace

BertClassifier layer_subset(const BertClassifier& source, const std::vector<int>& layers) {
  const BertConfig& from = source->config;
  if (layers.empty()) throw std::invalid_argument("layer_subset: no layers chosen");
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i] < 0 || layers[i] >= from.num_hidden_layers || (i > 0 && layers[i] <= layers[i - 1])) {
      throw std::invalid_argument("layer_subset: layers must be strictly increasing in [0, " +
                                  std::to_string(from.num_hidden_layers - 1) + "]");
    }
  }
  BertConfig config = from;
  config.num_hidden_layers = static_cast<int>(layers.size());
  config.exit_layers = {config.num_hidden_layers - 1};
  config.layer_heads.clear();
  config.layer_intermediate.clear();
  for (int layer : layers) {
    if (!from.layer_heads.empty()) config.layer_heads.push_back(from.heads_in(layer));
    if (!from.layer_intermediate.empty()) config.layer_intermediate.push_back(from.intermediate_in(layer));
  }
  BertClassifier subset(config);
  torch::NoGradGuard no_grad;
  const int last_exit = source->num_exits() - 1;
  copy_named(source->named_parameters(), subset->named_parameters(), layers, last_exit);
  copy_named(source->named_buffers(), subset->named_buffers(), layers, last_exit);
  subset->eval();
  return subset;
}

}  // namespace greenbench
