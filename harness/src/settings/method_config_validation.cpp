// Method configs: keys a method has (its defaults', plus "train" where its
// training reads TrainOptions overrides: the settings the table hashes under
// /train/) and the ranges of the keys a built-in method would otherwise take
// unchecked. Apart from the settings ranges because it needs the method
// registry, which records and parsers that link without the methods must not
// pull in.
#include <algorithm>
#include <memory>
#include <optional>

#include "greenbench/registry.h"
#include "settings/settings_table.h"
#include "settings/settings_validation.h"

namespace greenbench {
namespace {

using Json = nlohmann::json;
using settings_detail::check_json;
using settings_detail::integers;
using settings_detail::kMaxBatch;
using settings_detail::kMaxEpochs;
using settings_detail::kMaxLayers;
using settings_detail::kUint64Max;
using settings_detail::numbers;

struct TrainKey {
  std::string key;
  std::string meaning;
  std::optional<AllowedRange> range;
};

// The keys of TrainOptions::update_from_json that a method config's "train"
// object may hold: the settings the table hashes under /train/, with their ranges.
const std::vector<TrainKey>& train_keys() {
  static const std::vector<TrainKey> keys = [] {
    const std::string prefix = "/train/";
    std::vector<TrainKey> k;
    for (const auto& row : settings_table()) {
      if (row.hash_path.rfind(prefix, 0) == 0) k.push_back({row.hash_path.substr(prefix.size()), row.meaning, row.range});
    }
    return k;
  }();
  return keys;
}

// A built-in method's config key with a range; `each`: every entry of a list.
// Rows exist for keys the method leaves unchecked, and for integers, which a
// method reads as int (so 4294967297 would wrap to 1). Keys a method checks
// itself with the same range (layerdrop's p, distill's weights) are its own.
// Early exit checks its thresholds too, for configs that reach it otherwise.
struct MethodKeyRow {
  std::string method, path, meaning;
  AllowedRange range;
  bool each = false;
};

const std::vector<MethodKeyRow>& method_key_rows() {
  const AllowedRange unit = numbers(0, 1), unit_open_top = numbers(0, 1, false, true);
  static const std::vector<MethodKeyRow> rows = {
      // A confidence is a probability; the entropy rule divides by ln C (exit_inference.h).
      {"early_exit", "thresholds", "confidence threshold", unit, true},
      {"early_exit", "entropy_thresholds", "normalised entropy threshold", unit, true},
      {"early_exit", "int8.thresholds", "confidence threshold on the int8 model", unit, true},
      {"early_exit", "patience", "PABEE patience", integers(0, kMaxLayers), true},
      {"truncated", "layers", "layers kept", integers(1, kMaxLayers)},
      {"layerdrop", "depths", "depth kept", integers(1, kMaxLayers), true},
      {"distill", "depths", "student depth", integers(1, kMaxLayers), true},
      {"prune", "structured_ratios", "share of heads and neurons removed", unit_open_top, true},
      {"prune", "headline_ratio", "share of heads and neurons removed", unit_open_top},
      {"prune", "finetune_learning_rate", "fine-tuning learning rate (0: the suite's)", unit},
      {"prune", "importance_step", "share pruned per importance step", numbers(0, 1, true)},
      {"prune", "importance_max_examples", "examples scored for importance", integers(1, kUint64Max)},
      {"prune", "importance_batch_size", "importance batch size", integers(1, kMaxBatch)},
      {"bow", "embedding_dim", "embedding width", integers(1, 1 << 16)},
      {"bow", "max_ngram", "longest n-gram", integers(1, 16)},
      {"bow", "buckets", "hash buckets", integers(1, 1LL << 32)},
      {"bow", "epochs", "training epochs", integers(1, kMaxEpochs)},
      {"bow", "batch_size", "training batch size", integers(1, kMaxBatch)},
      {"bow", "learning_rate", "peak learning rate", numbers(0, 1, true)},
  };
  return rows;
}

std::string joined_keys(const Json& object, bool with_train) {
  std::string out;
  for (const auto& [key, value] : object.items()) out += (out.empty() ? "" : ", ") + key;
  if (with_train) out += (out.empty() ? "" : ", ") + std::string("train");
  return out;
}

// The value at a dotted path ("int8.thresholds"), or null.
const Json* at_path(const Json& j, const std::string& path) {
  const Json* node = &j;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(part)) return nullptr;
    node = &node->at(part);
    if (dot == std::string::npos) return node;
    start = dot + 1;
  }
}

// Every key of `config` must be a key of `defaults`; nested objects likewise.
void check_known_keys(const Json& config, const Json& defaults, const std::string& prefix, bool takes_train,
                      const std::string& method, const std::string& where) {
  for (const auto& [key, value] : config.items()) {
    if (takes_train && prefix.empty() && key == "train") continue;
    if (!defaults.contains(key)) {
      throw SettingsError(where + ": unknown key \"" + prefix + key + "\" for method " + method + " (known: " +
                          joined_keys(defaults, takes_train && prefix.empty()) + ")");
    }
    const Json& default_value = defaults.at(key);
    if (default_value.is_object() && value.is_object())
      check_known_keys(value, default_value, prefix + key + ".", false, method, where);
  }
}

void check_train_object(const Json& train, const std::string& where) {
  if (!train.is_object()) throw SettingsError(where + ": \"train\" must be an object of training settings, got " + train.dump());
  std::string known;
  for (const auto& k : train_keys()) known += (known.empty() ? "" : ", ") + k.key;
  for (const auto& [name, value] : train.items()) {
    const std::string& key = name;  // a lambda may not capture a structured binding before C++20 (clang refuses)
    const auto it = std::find_if(train_keys().begin(), train_keys().end(), [&](const TrainKey& k) { return k.key == key; });
    if (it == train_keys().end()) throw SettingsError(where + ": unknown key \"train." + key + "\" (known: " + known + ")");
    if (it->range) check_json(value, *it->range, "train." + key, it->meaning, where);
  }
}

// A method reads a "train" object of TrainOptions overrides when its
// defaults have one or it says so (the exit-classifier engine, distillation).
bool takes_train_overrides(const MethodInfo& info) {
  if (info.default_config.contains("train")) return true;
  return info.make()->takes_train_overrides();
}

}  // namespace

void validate_method_config(const std::string& method_name, const Json& config, const std::string& where) {
  const MethodInfo& info = method_registry().get(method_name);
  if (!config.is_object()) throw SettingsError(where + ": a method config must be a JSON object, got " + config.dump());
  const bool takes_train = takes_train_overrides(info);
  check_known_keys(config, info.default_config, "", takes_train, method_name, where);
  if (takes_train && config.contains("train") && !info.default_config.contains("train"))
    check_train_object(config.at("train"), where);
  for (const auto& row : method_key_rows()) {
    if (row.method != method_name) continue;
    const Json* value = at_path(config, row.path);
    if (!value) continue;
    if (!row.each) {
      check_json(*value, row.range, row.path, row.meaning, where);
      continue;
    }
    // "depths" and similar may also be the string "all" in some methods; only lists are checked.
    if (!value->is_array()) continue;
    for (size_t i = 0; i < value->size(); ++i)
      check_json(value->at(i), row.range, row.path + "[" + std::to_string(i) + "]", row.meaning, where);
  }
}

}  // namespace greenbench
