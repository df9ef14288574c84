#include "run/settings_validation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <thread>

#include "greenbench/bert_config.h"

namespace greenbench {
namespace {

using Json = nlohmann::json;

constexpr long double kInfinity = std::numeric_limits<long double>::infinity();
constexpr long double kIntMax = std::numeric_limits<int>::max();
// More threads than this is a typo: LibTorch and the BLAS spawn them all.
constexpr long double kMaxThreads = 1024;
constexpr long double kMaxLength = 1 << 16;

using settings_detail::check_json;
using settings_detail::integers;
using settings_detail::kMaxBatch;
using settings_detail::kMaxEpochs;
using settings_detail::kMaxLayers;
using settings_detail::kUint64Max;
using settings_detail::numbers;

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


}  // namespace

AllowedRange settings_detail::integers(long double low, long double high) { return {true, low, high, false, false}; }
AllowedRange settings_detail::numbers(long double low, long double high, bool low_open, bool high_open) {
  return {false, low, high, low_open, high_open};
}

// Checks `v` against `range`; `name` is what the message calls it.
void settings_detail::check_json(const Json& v, const AllowedRange& range, const std::string& name, const std::string& meaning,
                const std::string& where) {
  const bool right_type = range.integer ? v.is_number_integer() : v.is_number();
  if (!right_type || !range.contains(json_number(v))) {
    throw SettingsError(where + ": " + name + " = " + v.dump() + ": expected " + range.describe() + " (" + meaning + ")");
  }
}

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


}  // namespace greenbench
