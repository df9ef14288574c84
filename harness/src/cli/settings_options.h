// Command-line options of the settings, one per row of the settings table
// (settings/settings_table.cpp) that the command line may give: its flags
// (canonical and old), its help text and its type, bound straight into a
// RunSettings. Shared by `run`, `train`, `bench`, `sweep` (every setting) and
// `eval` (the few an evaluation reads).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "run/runner.h"

namespace greenbench {

/// Adds --data and every command-line setting to `command`, writing into `settings`.
void add_settings_options(CLI::App& command, RunSettings& settings, std::string& data_flag);

/// Adds the options of the named settings only (canonical names), in table order.
void add_setting_options(CLI::App& command, RunSettings& settings, const std::vector<std::string>& names);

/// Adds --data: the data folder, resolved by finish_settings.
void add_data_option(CLI::App& command, std::string& data_flag);

/// Refuses what CLI11 would wrap: a sign or overflow in an unsigned option.
CLI::Validator unsigned_integer();

/// Resolves the data root, validates the settings (throws SettingsError; warns
/// on stderr) and sets LibTorch's thread count; call after parsing.
void finish_settings(RunSettings& settings, const std::string& data_flag);

}  // namespace greenbench
