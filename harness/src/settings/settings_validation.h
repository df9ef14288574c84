// One validation of settings, before any data is read: every row of the
// settings table with a range or choices is checked, whether the value came
// from the command line, a suite file, a sweep draw or a method config's
// "train" object. Every error names the setting, the value, the allowed range
// and where the value came from.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/runner.h"
#include "settings/setting.h"

namespace greenbench {

/// Checks every setting of `settings` against its row; throws SettingsError
/// naming the first bad one and `origin` (e.g. "command line"). Returns
/// warnings (more threads than this machine has cores).
std::vector<std::string> validate_settings(const RunSettings& settings, const std::string& origin);

/// Checks a JSON value for setting `key` (a name or an old name: type,
/// overflow, range) and returns it; throws SettingsError naming `where` and
/// the key. Keys without a numeric row are not checked here.
long double checked_setting_value(const std::string& key, const nlohmann::json& value, const std::string& where);

/// Checks a method config before it is merged over the method's defaults:
/// every key must be one of the defaults' (nested objects likewise), or
/// "train" for a method whose training reads it (TrainOptions overrides: the
/// settings hashed under /train/), whose own keys are checked like the run
/// settings; known keys with a range (early-exit thresholds in [0, 1], batch
/// sizes >= 1, ...) are checked too. Throws SettingsError naming `where`, the
/// key, the value and what is allowed. (method_config_validation.cpp)
void validate_method_config(const std::string& method_name, const nlohmann::json& config, const std::string& where);

}  // namespace greenbench
