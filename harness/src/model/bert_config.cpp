#include "greenbench/bert_config.h"

#include <algorithm>
#include <map>

#include "greenbench/error.h"

namespace greenbench {
namespace {
struct Size {
  int layers, hidden, heads;
};
const std::map<std::string, Size>& presets() {
  static const std::map<std::string, Size> kPresets = {
      {"tiny", {2, 128, 2}},   {"mini", {4, 256, 4}},   {"small", {4, 512, 8}},
      {"medium", {8, 512, 8}}, {"base", {12, 768, 12}}, {"large", {24, 1024, 16}},
  };
  return kPresets;
}
}  // namespace

void BertConfig::validate() const {
  auto fail = [](const std::string& what) { throw Error("model config: " + what); };
  if (hidden_size <= 0 || num_hidden_layers <= 0 || num_attention_heads <= 0 || intermediate_size <= 0)
    fail("sizes must be positive");
  if (hidden_size % num_attention_heads != 0)
    fail("hidden_size " + std::to_string(hidden_size) + " is not a multiple of num_attention_heads " +
         std::to_string(num_attention_heads));
  if (num_labels < 2) fail("num_labels must be at least 2");
  if (exit_layers.empty()) fail("exit_layers is empty");
  if (!std::is_sorted(exit_layers.begin(), exit_layers.end()) ||
      std::adjacent_find(exit_layers.begin(), exit_layers.end()) != exit_layers.end())
    fail("exit_layers must be strictly increasing");
  if (exit_layers.front() < 0 || exit_layers.back() != num_hidden_layers - 1)
    fail("exit_layers must lie in [0, " + std::to_string(num_hidden_layers - 1) + "] and end at the last layer");
  if (pooling != "cls" && pooling != "mean") fail("pooling must be 'cls' or 'mean', not '" + pooling + "'");
  if (exit_poolers != "shared" && exit_poolers != "per_exit")
    fail("exit_poolers must be 'shared' or 'per_exit', not '" + exit_poolers + "'");
  auto check_widths = [&](const std::vector<int>& widths, const char* name, int most) {
    if (widths.empty()) return;
    if (static_cast<int>(widths.size()) != num_hidden_layers)
      fail(std::string(name) + " has " + std::to_string(widths.size()) + " entries for " +
           std::to_string(num_hidden_layers) + " layers");
    for (int w : widths)
      if (w < 1 || w > most) fail(std::string(name) + " entries must lie in [1, " + std::to_string(most) + "]");
  };
  check_widths(layer_heads, "layer_heads", num_attention_heads);
  check_widths(layer_intermediate, "layer_intermediate", intermediate_size);
}

nlohmann::json BertConfig::to_json() const {
  nlohmann::json j = {{"model_type", "bert"},
          {"vocab_size", vocab_size},
          {"hidden_size", hidden_size},
          {"num_hidden_layers", num_hidden_layers},
          {"num_attention_heads", num_attention_heads},
          {"intermediate_size", intermediate_size},
          {"max_position_embeddings", max_position_embeddings},
          {"type_vocab_size", type_vocab_size},
          {"hidden_dropout_prob", hidden_dropout_prob},
          {"attention_probs_dropout_prob", attention_probs_dropout_prob},
          {"layer_norm_eps", layer_norm_eps},
          {"hidden_act", "gelu"},
          {"num_labels", num_labels},
          {"exit_layers", exit_layers},
          {"pooling", pooling}};
  if (exit_poolers != "shared") j["exit_poolers"] = exit_poolers;  // older configs stay byte-identical
  if (!layer_heads.empty()) j["layer_heads"] = layer_heads;
  if (!layer_intermediate.empty()) j["layer_intermediate"] = layer_intermediate;
  return j;
}

BertConfig BertConfig::from_json(const nlohmann::json& j) {
  BertConfig c;
  auto get = [&](const char* key, auto& field) {
    if (j.contains(key) && !j[key].is_null()) j.at(key).get_to(field);
  };
  get("vocab_size", c.vocab_size);
  get("hidden_size", c.hidden_size);
  get("num_hidden_layers", c.num_hidden_layers);
  get("num_attention_heads", c.num_attention_heads);
  get("intermediate_size", c.intermediate_size);
  get("max_position_embeddings", c.max_position_embeddings);
  get("type_vocab_size", c.type_vocab_size);
  get("hidden_dropout_prob", c.hidden_dropout_prob);
  get("attention_probs_dropout_prob", c.attention_probs_dropout_prob);
  get("layer_norm_eps", c.layer_norm_eps);
  get("pooling", c.pooling);
  get("exit_poolers", c.exit_poolers);
  get("layer_heads", c.layer_heads);
  get("layer_intermediate", c.layer_intermediate);
  if (j.contains("num_labels")) j.at("num_labels").get_to(c.num_labels);
  else if (j.contains("id2label")) c.num_labels = static_cast<int>(j.at("id2label").size());
  if (j.contains("hidden_act") && j.at("hidden_act") != "gelu")
    throw Error("model config: hidden_act '" + j.at("hidden_act").get<std::string>() + "' is not supported (gelu only)");
  if (j.contains("exit_layers")) j.at("exit_layers").get_to(c.exit_layers);
  else c.exit_layers = {c.num_hidden_layers - 1};
  return c;
}

BertConfig BertConfig::preset(const std::string& name) {
  auto it = presets().find(name);
  if (it == presets().end()) {
    std::string known;
    for (auto& [n, s] : presets()) known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown model size '" + name + "'; known sizes: " + known);
  }
  BertConfig c;
  c.num_hidden_layers = it->second.layers;
  c.hidden_size = it->second.hidden;
  c.num_attention_heads = it->second.heads;
  c.intermediate_size = 4 * it->second.hidden;
  c.exit_layers = {c.num_hidden_layers - 1};
  return c;
}

std::vector<std::string> BertConfig::preset_names() {
  std::vector<std::string> names;
  for (auto& [n, s] : presets()) names.push_back(n);
  return names;
}

}  // namespace greenbench
