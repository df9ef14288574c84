#include "run/settings_validation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "greenbench/registry.h"
#include "model/bert_config.h"
#include "model/exit_classifier_method.h"

namespace greenbench {
namespace {

using Json = nlohmann::json;

constexpr long double kInfinity = std::numeric_limits<long double>::infinity();
constexpr long double kIntMax = std::numeric_limits<int>::max();
constexpr long double kUint64Max = static_cast<long double>(std::numeric_limits<uint64_t>::max());
// More threads than this is a typo: LibTorch and the BLAS spawn them all.
constexpr long double kMaxThreads = 1024;
// Far above any preset (BERT-large has 24) or batch that fits in memory.
constexpr long double kMaxLayers = 1024, kMaxBatch = 1 << 20, kMaxEpochs = 10000, kMaxLength = 1 << 16;

AllowedRange integers(long double low, long double high) { return {true, low, high, false, false}; }
AllowedRange numbers(long double low, long double high, bool low_open = false, bool high_open = false) {
  return {false, low, high, low_open, high_open};
}

std::string number_text(long double x) {
  if (x == kInfinity) return "inf";
  std::ostringstream out;
  out.precision(std::floor(x) == x && std::fabs(x) < 1e19L ? 20 : 6);
  out << x;
  return out.str();
}

std::vector<SettingRow> make_rows() {
  const AllowedRange positive_batch = integers(1, kMaxBatch);
  const AllowedRange learning_rate = numbers(0, 1, true);
  return {
      {"layers", "--layers", "", "encoder layers (0: the size preset's)", integers(0, kMaxLayers),
       [](const RunSettings& s) { return s.num_layers; }},
      {"max_len", "--max-len", "", "word pieces per instance", integers(4, kMaxLength),
       [](const RunSettings& s) { return s.max_len; }},
      {"vocab_size", "--vocab-size", "", "learned vocabulary size (at least the 5 special tokens)",
       integers(5, 1 << 24), [](const RunSettings& s) { return s.vocab_size; }},
      {"epochs", "--epochs", "epochs", "training epochs", numbers(0, kMaxEpochs, true),
       [](const RunSettings& s) { return s.train.epochs; }},
      {"batch_size", "--batch-size", "batch_size", "training batch size", positive_batch,
       [](const RunSettings& s) { return s.train.batch_size; }},
      {"lr", "--lr", "learning_rate", "peak learning rate", learning_rate,
       [](const RunSettings& s) { return s.train.learning_rate; }},
      {"warmup_fraction", "", "warmup_fraction", "share of steps warming up", numbers(0, 1, false, true),
       [](const RunSettings& s) { return s.train.warmup_fraction; }},
      {"weight_decay", "", "weight_decay", "AdamW weight decay", numbers(0, 1),
       [](const RunSettings& s) { return s.train.weight_decay; }},
      {"pretrain_epochs", "--pretrain-epochs", "", "pretraining epochs (0: none)", numbers(0, kMaxEpochs),
       [](const RunSettings& s) { return s.pretrain.epochs; }},
      {"pretrain_lr", "--pretrain-lr", "", "pretrain learning rate (peak)", learning_rate,
       [](const RunSettings& s) { return s.pretrain.learning_rate; }},
      {"pretrain_seed", "", "", "pretraining seed", integers(0, kUint64Max),
       [](const RunSettings& s) { return s.pretrain.seed; }},
      {"eval_batch_size", "--eval-batch-size", "", "evaluation batch size", positive_batch,
       [](const RunSettings& s) { return s.eval_batch_size; }},
      {"max_train", "--max-train", "", "training subsample (0: all)", integers(0, kUint64Max),
       [](const RunSettings& s) { return s.roles.max_train; }},
      {"max_calibration", "--max-calibration", "", "calibration subsample (0: all)", integers(0, kUint64Max),
       [](const RunSettings& s) { return s.roles.max_calibration; }},
      {"max_test", "--max-test", "", "test subsample (0: all)", integers(0, kUint64Max),
       [](const RunSettings& s) { return s.roles.max_test; }},
      {"threads", "--threads", "", "threads", integers(1, kMaxThreads), [](const RunSettings& s) { return s.threads; }},
      {"seed", "--seed", "seed", "seed", integers(0, kUint64Max), [](const RunSettings& s) { return s.seed; }},
      {"latency_instances", "--latency-instances", "", "instances timed at batch 1", integers(0, kIntMax),
       [](const RunSettings& s) { return s.measure.latency_instances; }},
      {"latency_warmup_passes", "--latency-warmup-passes", "", "untimed warm-up passes", integers(0, 1000),
       [](const RunSettings& s) { return s.measure.latency_warmup_passes; }},
      {"tdp_watts_per_core", "--tdp-watts-per-core", "", "TDP per core, watts", numbers(0, 10000, true),
       [](const RunSettings& s) { return s.measure.tdp_watts_per_core.value_or(1); }},
      {"grid_intensity", "--grid-intensity", "", "grid carbon intensity, g CO2e per kWh", numbers(0, 1e5),
       [](const RunSettings& s) { return s.measure.carbon.grid_g_co2e_per_kwh; }},
      {"price_per_kwh", "--price-per-kwh", "", "electricity price per kWh", numbers(0, 1e5),
       [](const RunSettings& s) { return s.measure.carbon.price_per_kwh; }},
  };
}

std::string setting_name(const SettingRow& row) {
  return row.flag.empty() ? row.key : row.key + " (" + row.flag + ")";
}

// A JSON number as a long double, or NaN when it is not one.
long double json_number(const Json& v) {
  if (v.is_number_unsigned()) return static_cast<long double>(v.get<uint64_t>());
  if (v.is_number_integer()) return static_cast<long double>(v.get<int64_t>());
  if (v.is_number_float()) return v.get<double>();
  return std::numeric_limits<long double>::quiet_NaN();
}

// Checks `v` against `range`; `name` is what the message calls it.
void check_json(const Json& v, const AllowedRange& range, const std::string& name, const std::string& meaning,
                const std::string& where) {
  const bool right_type = range.integer ? v.is_number_integer() : v.is_number();
  if (!right_type || !range.contains(json_number(v))) {
    throw SettingsError(where + ": " + name + " = " + v.dump() + ": expected " + range.describe() + " (" + meaning + ")");
  }
}

// The keys of TrainOptions::update_from_json that a method config's "train"
// object may hold, with the range of each numeric one.
struct TrainKey {
  std::string key;
  std::string meaning;
  std::optional<AllowedRange> range;
};

const std::vector<TrainKey>& train_keys() {
  static const std::vector<TrainKey> keys = [] {
    std::vector<TrainKey> k;
    for (const auto& row : setting_rows()) {
      if (!row.train_key.empty()) k.push_back({row.train_key, row.meaning, row.range});
    }
    k.push_back({"max_grad_norm", "gradient clipping norm", numbers(0, 1e6, true)});
    k.push_back({"layerdrop", "LayerDrop probability", numbers(0, 1, false, true)});
    k.push_back({"exit_loss_weights", "", std::nullopt});
    k.push_back({"precision", "", std::nullopt});
    k.push_back({"select_best_epoch", "", std::nullopt});
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

// Training reads a "train" object of TrainOptions overrides in the shared
// exit-classifier engine (ExitClassifierMethod::train) and in distillation.
bool takes_train_overrides(const MethodInfo& info) {
  if (info.name == "distill" || info.default_config.contains("train")) return true;
  const std::unique_ptr<Method> probe = info.make();
  return dynamic_cast<ExitClassifierMethod*>(probe.get()) != nullptr;
}

}  // namespace

bool AllowedRange::contains(long double x) const {
  if (!std::isfinite(x)) return false;
  if (integer && std::floor(x) != x) return false;
  if (low_open ? !(x > low) : !(x >= low)) return false;
  if (high_open ? !(x < high) : !(x <= high)) return false;
  return true;
}

std::string AllowedRange::describe() const {
  const std::string kind = integer ? "an integer" : "a finite number";
  if (high == kInfinity) return kind + (low_open ? " > " : " >= ") + number_text(low);
  return kind + " in " + (low_open ? "(" : "[") + number_text(low) + ", " + number_text(high) + (high_open ? ")" : "]");
}

const std::vector<SettingRow>& setting_rows() {
  static const std::vector<SettingRow> rows = make_rows();
  return rows;
}

const SettingRow* find_setting_row(const std::string& key) {
  for (const auto& row : setting_rows()) {
    if (row.key == key) return &row;
  }
  return nullptr;
}

std::vector<std::string> validate_settings(const RunSettings& s, const std::string& origin) {
  for (const auto& row : setting_rows()) {
    const long double value = row.read(s);
    if (!row.range.contains(value)) {
      throw SettingsError(origin + ": " + setting_name(row) + " = " + number_text(value) + ": expected " +
                          row.range.describe() + " (" + row.meaning + ")");
    }
  }
  // The named choices, so a typo fails here rather than after the data is read.
  try {
    BertConfig::preset(s.model_size);
  } catch (const Error& e) {
    throw SettingsError(origin + ": size (--size): " + e.what());
  }
  auto check_choice = [&](const std::string& name, const std::string& value, const std::vector<std::string>& choices) {
    if (std::find(choices.begin(), choices.end(), value) != choices.end()) return;
    std::string known;
    for (const auto& c : choices) known += (known.empty() ? "" : ", ") + c;
    throw SettingsError(origin + ": " + name + " = '" + value + "': expected one of " + known);
  };
  check_choice("pooling (--pooling)", s.pooling, {"cls", "mean"});
  check_choice("precision (--precision)", s.train.precision, {"auto", "fp32", "bf16"});
  std::vector<std::string> warnings;
  const unsigned cores = std::thread::hardware_concurrency();
  if (cores > 0 && s.threads > static_cast<int>(cores)) {
    warnings.push_back(origin + ": threads (--threads) = " + std::to_string(s.threads) + " is more than the " +
                       std::to_string(cores) + " cores here; the extra threads only wait for a core");
  }
  return warnings;
}

long double checked_setting_value(const std::string& key, const Json& value, const std::string& where) {
  const SettingRow* row = find_setting_row(key);
  if (!row) return 0;
  check_json(value, row->range, "setting \"" + key + "\"", row->meaning, where);
  return json_number(value);
}

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
