// One validation of settings, before any data is read: the allowed range of
// every numeric setting (one row each: suite key, flag, range), shared by the
// command line, suite files, sweep draws and method configs, and the keys a
// method config may hold. Every error names the setting, the value, the
// allowed range and where the value came from.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "greenbench/error.h"
#include "run/runner.h"

namespace greenbench {

/// A setting outside its range, a wrong type or an unknown key.
class SettingsError : public Error {
 public:
  using Error::Error;
};

/// An interval of allowed values; integer ones also refuse fractions.
struct AllowedRange {
  bool integer = false;
  long double low = 0, high = 0;  ///< long double holds every uint64 exactly
  bool low_open = false, high_open = false;
  bool contains(long double x) const;
  /// "an integer in [1, 1048576]", "a number in (0, 1]".
  std::string describe() const;
};

/// One numeric setting of RunSettings.
struct SettingRow {
  std::string key;        ///< its suite settings key
  std::string flag;       ///< its command-line flag ("" where none)
  std::string train_key;  ///< its key in a method config's "train" object ("" where none)
  std::string meaning;
  AllowedRange range;
  std::function<long double(const RunSettings&)> read;
};

/// Building blocks shared by the settings ranges and the method-config check.
namespace settings_detail {
// Far above any preset (BERT-large has 24) or batch that fits in memory.
inline constexpr long double kMaxLayers = 1024, kMaxBatch = 1 << 20, kMaxEpochs = 10000;
inline constexpr long double kUint64Max = 18446744073709551615.0L;
AllowedRange integers(long double low, long double high);
AllowedRange numbers(long double low, long double high, bool low_open = false, bool high_open = false);
/// Checks `v` against `range`; `name` is what the message calls it.
void check_json(const nlohmann::json& v, const AllowedRange& range, const std::string& name,
                const std::string& meaning, const std::string& where);
}  // namespace settings_detail

/// Every numeric setting, one row each.
const std::vector<SettingRow>& setting_rows();

/// The row of suite settings key `key`, or null.
const SettingRow* find_setting_row(const std::string& key);

/// Checks every numeric setting of `settings`; throws SettingsError naming the
/// first bad one and `origin` (e.g. "command line"). Returns warnings (more
/// threads than this machine has cores).
std::vector<std::string> validate_settings(const RunSettings& settings, const std::string& origin);

/// Checks a JSON value for suite settings key `key` (type, overflow, range) and
/// returns it; throws SettingsError naming `where` and the key. Keys without a
/// numeric row are not checked here.
long double checked_setting_value(const std::string& key, const nlohmann::json& value, const std::string& where);

/// Checks a method config before it is merged over the method's defaults:
/// every key must be one of the defaults' (nested objects likewise), or
/// "train" for a method whose training reads it (TrainOptions overrides),
/// whose own keys are checked like the run settings; known keys with a range
/// (early-exit thresholds in [0, 1], batch sizes >= 1, ...) are checked too.
/// Throws SettingsError naming `where`, the key, the value and what is allowed.
void validate_method_config(const std::string& method_name, const nlohmann::json& config, const std::string& where);

}  // namespace greenbench
