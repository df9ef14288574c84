// Saving and loading BertClassifier checkpoints, and importing pretrained
// Hugging Face BERT weights. A checkpoint is a folder in Hugging Face layout:
// config.json (our BertConfig plus caller-supplied extra keys) and
// model.safetensors (every parameter under its HF-style name), so that the
// sha256 of model.safetensors identifies the weights in result records.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "greenbench/bert/bert.h"
#include "greenbench/bert_config.h"

namespace greenbench {

/// File names inside a checkpoint folder.
inline constexpr const char* kCheckpointConfigFile = "config.json";
inline constexpr const char* kCheckpointWeightsFile = "model.safetensors";
/// The config.json key recording the sha256 of model.safetensors.
inline constexpr const char* kCheckpointShaKey = "model_sha256";

/// A loaded checkpoint.
struct Checkpoint {
  BertClassifier model{nullptr};
  BertConfig config;
  /// The config.json keys that are not BertConfig's (what save_checkpoint got as `extra`).
  nlohmann::json extra = nlohmann::json::object();
  /// sha256 (hex) of model.safetensors.
  std::string sha256;
};

/// Writes dir/model.safetensors (every parameter and buffer of `model`) and then
/// dir/config.json (config.to_json(), the keys of `extra`, and the weights'
/// sha256), each atomically; creates `dir`. `extra` must be a JSON object (or
/// null) whose keys do not collide with the config's. Returns the sha256.
std::string save_checkpoint(BertClassifier& model, const std::string& dir,
                            const nlohmann::json& extra = nlohmann::json::object());

/// Reads a folder written by save_checkpoint. Throws greenbench::Error listing
/// every missing, unexpected or wrongly shaped parameter, and when
/// model.safetensors does not match the sha256 that config.json records.
/// The model is returned in training mode, as constructed; call eval() to infer.
Checkpoint load_checkpoint(const std::string& dir);

/// The sha256 (hex) of dir/model.safetensors, the checkpoint's identity.
std::string checkpoint_sha256(const std::string& dir);

/// What import_hf_bert loaded.
struct HfImport {
  BertClassifier model{nullptr};
  BertConfig config;
  /// True when HF's "classifier" head fitted num_labels and became the last exit.
  bool classifier_loaded = false;
  /// False when the checkpoint has no pooler (e.g. BertForMaskedLM): it keeps its fresh initialisation.
  bool pooler_loaded = false;
  /// Names in the file that were not used (pretraining heads, position_ids, other heads).
  std::vector<std::string> ignored;
  /// sha256 (hex) of the source model.safetensors.
  std::string source_sha256;
};

/// Imports a Hugging Face BERT checkpoint: `path` is a folder holding
/// config.json and model.safetensors, or the model.safetensors file itself
/// (config.json beside it). Accepts BertForSequenceClassification /
/// BertForPreTraining names ("bert." prefix), BertModel names (no prefix) and
/// TF-style "LayerNorm.gamma"/"LayerNorm.beta". `exit_layers` empty means the
/// last layer only. Throws greenbench::Error naming every encoder weight that
/// is missing or wrongly shaped.
HfImport import_hf_bert(const std::string& path, int num_labels, const std::vector<int>& exit_layers = {});

}  // namespace greenbench
