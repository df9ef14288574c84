// Range and choice validation of a RunSettings and of single JSON values,
// read off the settings table.
#include "settings/settings_validation.h"

#include <algorithm>
#include <thread>

#include "greenbench/bert_config.h"
#include "settings/settings_table.h"

namespace greenbench {

using Json = nlohmann::json;
using settings_detail::number_text;

std::vector<std::string> validate_settings(const RunSettings& s, const std::string& origin) {
  for (const auto& row : settings_table()) {
    const std::optional<long double> value = row.number(s);
    if (row.range && value && !row.range->contains(*value)) {
      throw SettingsError(origin + ": " + row.display_name() + " = " + number_text(*value) + ": expected " +
                          row.range->describe() + " (" + row.meaning + ")");
    }
    if (row.choices.empty()) continue;
    // The named choices, so a typo fails here rather than after the data is read.
    const std::string text = row.json_value(s).get<std::string>();
    if (std::find(row.choices.begin(), row.choices.end(), text) != row.choices.end()) continue;
    std::string known;
    for (const auto& c : row.choices) known += (known.empty() ? "" : ", ") + c;
    throw SettingsError(origin + ": " + row.display_name() + " = '" + text + "': expected one of " + known);
  }
  // The size presets are the model's own list.
  try {
    BertConfig::preset(s.model_size);
  } catch (const Error& e) {
    throw SettingsError(origin + ": " + find_setting("model_size")->display_name() + ": " + e.what());
  }
  std::vector<std::string> warnings;
  const unsigned cores = std::thread::hardware_concurrency();
  if (cores > 0 && s.threads > static_cast<int>(cores)) {
    warnings.push_back(origin + ": " + find_setting("threads")->display_name() + " = " + std::to_string(s.threads) +
                       " is more than the " + std::to_string(cores) + " cores here; the extra threads only wait for a core");
  }
  return warnings;
}

long double checked_setting_value(const std::string& key, const Json& value, const std::string& where) {
  const Setting* row = find_setting(key);
  if (!row || !row->range) return 0;
  settings_detail::check_json(value, *row->range, "setting \"" + key + "\"", row->meaning, where);
  return settings_detail::json_number(value);
}

}  // namespace greenbench
