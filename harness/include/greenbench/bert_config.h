// The shape of a BERT encoder with classifiers at chosen layers, with size
// presets from tiny to large. Field names follow Hugging Face's config.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace greenbench {

struct BertConfig {
  int vocab_size = 30522;
  int hidden_size = 256;
  int num_hidden_layers = 4;
  int num_attention_heads = 4;
  int intermediate_size = 1024;
  int max_position_embeddings = 512;
  int type_vocab_size = 2;
  double hidden_dropout_prob = 0.1;
  double attention_probs_dropout_prob = 0.1;
  double layer_norm_eps = 1e-12;
  int num_labels = 2;
  /// 0-based layers with a classifier; the last layer always has one.
  std::vector<int> exit_layers = {3};
  /// "cls": the pooler reads [CLS] (BERT); "mean": it reads the masked mean of
  /// the layer's tokens, which trains faster from scratch on small data.
  std::string pooling = "cls";
  /// "shared": every exit reads the one pooler (BERT, the paper's code);
  /// "per_exit": each exit has its own pooler (DeeBERT's highways), so the
  /// first exits need not share a summary with the last. Same FLOPs.
  std::string exit_poolers = "shared";
  /// Per-layer attention heads and feed-forward widths after structured
  /// pruning; empty means every layer has num_attention_heads and
  /// intermediate_size. Heads keep head_dim() = hidden_size / num_attention_heads.
  std::vector<int> layer_heads, layer_intermediate;

  int head_dim() const { return hidden_size / num_attention_heads; }
  int heads_in(int layer) const { return layer_heads.empty() ? num_attention_heads : layer_heads.at(layer); }
  int intermediate_in(int layer) const {
    return layer_intermediate.empty() ? intermediate_size : layer_intermediate.at(layer);
  }
  /// Throws greenbench::Error when the shape is inconsistent.
  void validate() const;
  nlohmann::json to_json() const;
  /// Reads our config or a Hugging Face config.json (unknown keys ignored).
  static BertConfig from_json(const nlohmann::json& j);
  /// Named sizes: tiny (2x128), mini (4x256), small (4x512), medium (8x512),
  /// base (12x768), large (24x1024), as in Turc et al. 2019 / BERT.
  static BertConfig preset(const std::string& name);
  static std::vector<std::string> preset_names();
};

}  // namespace greenbench
