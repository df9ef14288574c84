// What one row of the settings table is (settings_table.cpp holds the rows):
// a setting's one canonical name and its old spellings, where a user can give
// it (command line, suite files), its type (the field it writes), its range
// or choices, its help text, and where the config hash and the record keep
// it. The command line, the suite parser, range validation and the hashed
// settings are all read off these rows, so a setting is described once.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
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
  /// "an integer in [1, 1048576]", "a finite number in (0, 1]".
  std::string describe() const;
};

// The subsample sizes are size_t and are written as uint64 settings.
static_assert(std::is_same_v<size_t, uint64_t>, "RoleOptions' size_t fields are read as uint64_t settings");

/// The field of a RunSettings that a setting reads and writes; its type is
/// the setting's type.
using SettingField = std::variant<int*, uint64_t*, double*, std::optional<double>*, std::string*, bool*, std::vector<double>*>;

/// Where a user can give a setting.
enum class GivenBy { nobody, command_line, suite, both };

/// One row of the settings table.
struct Setting {
  std::string name;                    ///< canonical: suite key `name`, flag `--name` with '-' for '_'
  std::vector<std::string> old_names;  ///< earlier spellings, still accepted as suite keys and flags
  GivenBy given_by = GivenBy::nobody;
  std::string help;                    ///< the command line's help text
  std::string meaning;                 ///< short, for error messages
  std::optional<AllowedRange> range;   ///< numeric settings: the values allowed
  std::vector<std::string> choices;    ///< text settings with named choices
  /// Where the config hash (and the record's settings block, and a
  /// checkpoint's run.json) keeps it, as a JSON pointer ("/train/learning_rate");
  /// empty: not hashed (it changes no prediction).
  std::string hash_path;
  /// Hashed only when this holds (null: always); lets settings added later
  /// keep the hashes of runs made before they existed.
  std::function<bool(const RunSettings&)> hashed_when;
  /// The RunSettings field it lives in.
  std::function<SettingField(RunSettings&)> field;

  bool on_command_line() const { return given_by == GivenBy::command_line || given_by == GivenBy::both; }
  bool in_suites() const { return given_by == GivenBy::suite || given_by == GivenBy::both; }
  bool hashed(const RunSettings& s) const { return !hash_path.empty() && (!hashed_when || hashed_when(s)); }
  /// "--learning-rate,--lr": the canonical flag first, then the old ones.
  std::string flags() const;
  /// Whether `key` is its name or one of its old names.
  bool answers_to(const std::string& key) const;
  /// "learning_rate (--learning-rate, --lr)", as error messages name it.
  std::string display_name() const;

  /// Its value in `s`, as JSON (the same JSON type the record has always used).
  nlohmann::json json_value(const RunSettings& s) const;
  /// Its value in `s` as a number, for range checks; null for a text, a list
  /// or an unset optional.
  std::optional<long double> number(const RunSettings& s) const;
  /// Writes `value` into `s`: the JSON type first (`key` is what the message
  /// calls it), then the range, which also refuses integers that would wrap
  /// when narrowed. Throws Error (wrong type) or SettingsError (out of range).
  void assign(const nlohmann::json& value, RunSettings& s, const std::string& key) const;
};

/// Building blocks of the rows and of the method-config check.
namespace settings_detail {
// Far above any preset (BERT-large has 24) or batch that fits in memory.
inline constexpr long double kMaxLayers = 1024, kMaxBatch = 1 << 20, kMaxEpochs = 10000;
inline constexpr long double kUint64Max = 18446744073709551615.0L;
AllowedRange integers(long double low, long double high);
AllowedRange numbers(long double low, long double high, bool low_open = false, bool high_open = false);
/// A JSON number as a long double, or NaN when it is not one.
long double json_number(const nlohmann::json& v);
/// `x` as messages print it ("inf", integers in full).
std::string number_text(long double x);
/// Checks `v` against `range`; `name` is what the message calls it.
void check_json(const nlohmann::json& v, const AllowedRange& range, const std::string& name,
                const std::string& meaning, const std::string& where);
}  // namespace settings_detail

}  // namespace greenbench
