#include "greenbench/bert/checkpoint.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "greenbench/error.h"
#include "model/safetensors.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace greenbench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Long lists (a config for the wrong model size misses every weight) are cut
// here; the first names and the count say enough to find the cause.
constexpr size_t kMaxListed = 12;

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shape_str(torch::IntArrayRef shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string join_list(const std::vector<std::string>& items) {
  std::string s;
  for (size_t i = 0; i < items.size() && i < kMaxListed; ++i) s += (i ? ", " : "") + items[i];
  if (items.size() > kMaxListed) s += ", ... (" + std::to_string(items.size() - kMaxListed) + " more)";
  return s;
}

// A config.json as JSON; parse errors name the file and line.
json read_json_file(const std::string& path) {
  if (!fs::exists(path)) throw DataMissingError("cannot read " + path + ": no such file");
  const std::string text = read_file(path);
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    const size_t upto = std::min(text.size(), e.byte > 0 ? static_cast<size_t>(e.byte - 1) : size_t{0});
    const long line = 1 + static_cast<long>(std::count(text.begin(), text.begin() + static_cast<long>(upto), '\n'));
    throw DataFormatError(path, line, std::string("valid JSON (") + e.what() + ")");
  }
}

BertConfig config_from_json(const json& j, const std::string& path) {
  if (!j.is_object()) throw DataFormatError(path, 1, "a JSON object, found " + std::string(j.type_name()));
  try {
    return BertConfig::from_json(j);
  } catch (const json::exception& e) {
    throw DataFormatError(path, 1, std::string("a BERT config (") + e.what() + ")");
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

std::map<std::string, torch::Tensor> named_state(torch::nn::Module& module) {
  std::map<std::string, torch::Tensor> state;
  for (const auto& p : module.named_parameters()) state.emplace(p.key(), p.value());
  for (const auto& b : module.named_buffers()) state.emplace(b.key(), b.value());
  return state;
}

void copy_weight(torch::Tensor& target, const torch::Tensor& source) {
  torch::NoGradGuard no_grad;
  target.copy_(source);
}

// "name has shape [a], the model needs [b]" when the source cannot be copied into target.
std::string mismatch(const std::string& name, const torch::Tensor& source, const torch::Tensor& target) {
  if (source.sizes() != target.sizes())
    return name + " has shape " + shape_str(source.sizes()) + ", the model needs " + shape_str(target.sizes());
  if (source.is_floating_point() != target.is_floating_point())
    return name + " has dtype " + std::string(c10::toString(source.scalar_type())) + ", the model needs " +
           c10::toString(target.scalar_type());
  return "";
}

BertClassifier build_model(const BertConfig& config, const std::string& config_path) {
  try {
    return BertClassifier(config);
  } catch (const Error& e) {
    throw Error(config_path + ": " + e.what());
  }
}

}  // namespace

std::string save_checkpoint(BertClassifier& model, const std::string& dir, const json& extra) {
  if (!model) throw Error("save_checkpoint: the model is null");
  if (!extra.is_null() && !extra.is_object())
    throw Error("save_checkpoint: extra must be a JSON object, not " + std::string(extra.type_name()));
  json config = model->config.to_json();
  if (extra.is_object()) {
    for (const auto& [key, value] : extra.items()) {
      if (config.contains(key) || key == kCheckpointShaKey)
        throw Error("save_checkpoint: extra key '" + key + "' would overwrite the model config's");
      config[key] = value;
    }
  }
  const fs::path folder(dir);
  const std::string weights = (folder / kCheckpointWeightsFile).string();
  // "format": "pt" is what Hugging Face writes; its loaders check for it.
  write_safetensors(weights, named_state(*model), {{"format", "pt"}});
  const std::string sha = sha256_file(weights);
  // config.json last, carrying the hash: a crash between the two writes leaves
  // a pair whose hash disagrees, which load_checkpoint refuses.
  config[kCheckpointShaKey] = sha;
  write_file_atomic((folder / kCheckpointConfigFile).string(), config.dump(2) + "\n");
  return sha;
}

std::string checkpoint_sha256(const std::string& dir) {
  return sha256_file((fs::path(dir) / kCheckpointWeightsFile).string());
}

Checkpoint load_checkpoint(const std::string& dir) {
  const fs::path folder(dir);
  const std::string config_path = (folder / kCheckpointConfigFile).string();
  const std::string weights = (folder / kCheckpointWeightsFile).string();
  if (!fs::is_directory(folder)) throw DataMissingError("checkpoint folder " + dir + " does not exist");
  const json j = read_json_file(config_path);
  Checkpoint ck;
  ck.config = config_from_json(j, config_path);
  const json known = ck.config.to_json();
  for (const auto& [key, value] : j.items())
    if (!known.contains(key) && key != kCheckpointShaKey) ck.extra[key] = value;

  if (!fs::exists(weights)) throw DataMissingError("cannot read " + weights + ": no such file");
  ck.sha256 = sha256_file(weights);
  if (j.contains(kCheckpointShaKey)) {
    const json& recorded = j.at(kCheckpointShaKey);
    if (!recorded.is_string() || recorded.get<std::string>() != ck.sha256)
      throw Error(weights + " has sha256 " + ck.sha256 + " but " + config_path + " records " + recorded.dump() +
                  "; the two files come from different saves (or one is damaged)");
  }
  const SafetensorsFile file = read_safetensors(weights);
  ck.model = build_model(ck.config, config_path);

  auto state = named_state(*ck.model);
  std::vector<std::string> missing, unexpected, wrong;
  for (const auto& [name, target] : state) {
    auto it = file.tensors.find(name);
    if (it == file.tensors.end()) missing.push_back(name);
    else if (auto why = mismatch(name, it->second, target); !why.empty()) wrong.push_back(why);
  }
  for (const auto& [name, tensor] : file.tensors)
    if (!state.count(name)) unexpected.push_back(name);
  if (!missing.empty() || !unexpected.empty() || !wrong.empty()) {
    std::string msg = weights + " does not match the model " + config_path + " describes:";
    if (!missing.empty()) msg += " missing " + join_list(missing) + ";";
    if (!unexpected.empty()) msg += " unexpected " + join_list(unexpected) + ";";
    if (!wrong.empty()) msg += " " + join_list(wrong) + ";";
    msg.pop_back();
    throw Error(msg);
  }
  for (auto& [name, target] : state) copy_weight(target, file.tensors.at(name));
  return ck;
}

HfImport import_hf_bert(const std::string& path, int num_labels, const std::vector<int>& exit_layers) {
  const fs::path given(path);
  const bool is_dir = fs::is_directory(given);
  const fs::path folder = is_dir ? given : given.parent_path();
  const fs::path weights_path = is_dir ? given / kCheckpointWeightsFile : given;
  const std::string weights = weights_path.string();
  if (!fs::exists(weights_path)) {
    std::string hint;
    if (fs::exists(folder / "model.safetensors.index.json"))
      hint = "; the checkpoint is sharded (model.safetensors.index.json), which import does not read: save it as one file";
    else if (fs::exists(folder / "pytorch_model.bin"))
      hint = "; pytorch_model.bin is a Python pickle, which greenbench does not read: convert it with "
             "save_pretrained(..., safe_serialization=True)";
    throw DataMissingError("cannot read " + weights + ": no such file" + hint);
  }
  const std::string config_path = (folder / kCheckpointConfigFile).string();
  const json j = read_json_file(config_path);
  if (!j.is_object()) throw DataFormatError(config_path, 1, "a JSON object, found " + std::string(j.type_name()));
  // Other encoders (RoBERTa offsets positions, ALBERT shares layers) share many
  // names with BERT; loading them as BERT would "work" and compute nonsense.
  if (j.contains("model_type") && j.at("model_type") != "bert")
    throw Error(config_path + ": model_type " + j.at("model_type").dump() + " is not BERT; only BERT checkpoints can be imported");
  if (j.contains("position_embedding_type") && j.at("position_embedding_type") != "absolute")
    throw Error(config_path + ": position_embedding_type " + j.at("position_embedding_type").dump() +
                " is not supported (absolute only)");

  HfImport out;
  out.config = config_from_json(j, config_path);
  out.config.num_labels = num_labels;
  out.config.exit_layers = exit_layers.empty() ? std::vector<int>{out.config.num_hidden_layers - 1} : exit_layers;
  out.model = build_model(out.config, config_path);

  const SafetensorsFile file = read_safetensors(weights);
  out.source_sha256 = sha256_file(weights);

  // Normalise every name to ours ("bert.encoder..."), remembering the file's
  // spelling for messages.
  bool prefixed = false;
  std::map<std::string, torch::Tensor> encoder;
  std::map<std::string, std::string> original;
  torch::Tensor classifier_weight, classifier_bias;
  for (const auto& [name, tensor] : file.tensors) {
    std::string n = name;
    if (starts_with(n, "bert.")) {
      n = n.substr(5);
      prefixed = true;
    }
    if (ends_with(n, "LayerNorm.gamma")) n = n.substr(0, n.size() - 5) + "weight";
    else if (ends_with(n, "LayerNorm.beta")) n = n.substr(0, n.size() - 4) + "bias";
    if (n == "classifier.weight") {
      classifier_weight = tensor;
    } else if (n == "classifier.bias") {
      classifier_bias = tensor;
    } else if (n == "embeddings.position_ids" || n == "embeddings.token_type_ids") {
      out.ignored.push_back(name);  // index buffers, not weights
    } else if (starts_with(n, "embeddings.") || starts_with(n, "encoder.") || starts_with(n, "pooler.")) {
      const std::string key = "bert." + n;
      if (encoder.count(key))
        throw DataFormatError(weights, 0, "'" + original[key] + "' and '" + name + "' both name " + key);
      encoder.emplace(key, tensor);
      original.emplace(key, name);
    } else {
      out.ignored.push_back(name);  // cls.predictions.*, cls.seq_relationship.*, other task heads
    }
  }

  // BertForMaskedLM and friends are saved without a pooler; ours then keeps its
  // fresh initialisation. Half a pooler is a broken file, so it is checked below.
  out.pooler_loaded = encoder.count("bert.pooler.dense.weight") || encoder.count("bert.pooler.dense.bias");
  auto state = named_state(*out.model);
  auto file_name = [&](const std::string& key) { return prefixed ? key : key.substr(5); };
  std::vector<std::string> missing, unexpected, wrong;
  for (const auto& [key, target] : state) {
    if (!starts_with(key, "bert.")) continue;
    if (starts_with(key, "bert.pooler.") && !out.pooler_loaded) continue;
    auto it = encoder.find(key);
    if (it == encoder.end()) missing.push_back(file_name(key));
    else if (auto why = mismatch(original.at(key), it->second, target); !why.empty()) wrong.push_back(why);
  }
  for (const auto& [key, tensor] : encoder)
    if (!state.count(key)) unexpected.push_back(original.at(key));
  if (!missing.empty() || !wrong.empty() || !unexpected.empty()) {
    std::string msg = "cannot import " + weights + " as the BERT that " + config_path + " describes (" +
                      std::to_string(out.config.num_hidden_layers) + " layers, hidden " +
                      std::to_string(out.config.hidden_size) + ", vocab " + std::to_string(out.config.vocab_size) + "):";
    if (!missing.empty()) msg += " missing encoder weights " + join_list(missing) + ";";
    if (!wrong.empty()) msg += " " + join_list(wrong) + ";";
    if (!unexpected.empty()) msg += " weights the config has no place for " + join_list(unexpected) + ";";
    msg.pop_back();
    throw Error(msg);
  }
  for (auto& [key, target] : state) {
    auto it = encoder.find(key);
    if (it != encoder.end()) copy_weight(target, it->second);
  }

  // HF's single classifier reads the last layer's pooled [CLS], as our last exit does.
  const std::vector<int64_t> weight_shape{num_labels, out.config.hidden_size}, bias_shape{num_labels};
  const bool fits = classifier_weight.defined() && classifier_bias.defined() &&
                    classifier_weight.is_floating_point() && classifier_bias.is_floating_point() &&
                    classifier_weight.sizes() == torch::IntArrayRef(weight_shape) &&
                    classifier_bias.sizes() == torch::IntArrayRef(bias_shape);
  if (fits) {
    auto* last = out.model->exits[out.model->exits->size() - 1]->as<torch::nn::Linear>();
    copy_weight(last->weight, classifier_weight);
    copy_weight(last->bias, classifier_bias);
    out.classifier_loaded = true;
  } else {
    for (const auto& [name, tensor] : file.tensors)
      if (tensor.is_same(classifier_weight) || tensor.is_same(classifier_bias)) out.ignored.push_back(name);
  }
  std::sort(out.ignored.begin(), out.ignored.end());
  return out;
}

}  // namespace greenbench
