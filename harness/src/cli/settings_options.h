// Command-line options shared by `run`, `bench`, `train`: data, model size,
// training and evaluation settings, bound straight into a RunSettings.
#pragma once

#include <CLI/CLI.hpp>

#include "run/runner.h"

namespace greenbench {

/// Adds the options to `command`, writing into `settings`.
void add_settings_options(CLI::App& command, RunSettings& settings, std::string& data_flag);

/// Refuses what CLI11 would wrap: a sign or overflow in an unsigned option.
CLI::Validator unsigned_integer();

/// Resolves the data root, validates the settings (throws SettingsError; warns
/// on stderr) and sets LibTorch's thread count; call after parsing.
void finish_settings(RunSettings& settings, const std::string& data_flag);

}  // namespace greenbench
