// The settings a run's config hash covers, read off the settings table, and
// the version of the hashing scheme. The JSON is the one RunSettings::to_json
// has always written, byte for byte, so every earlier config hash still finds
// its record and checkpoint (tests/core/test_config_hash.cpp pins some).
#pragma once

#include <nlohmann/json.hpp>

#include "run/runner.h"

namespace greenbench {

/// The version of how config hashes are made: what they cover (the hashed
/// settings below, method, merged config, task, training data) and how. A
/// record may carry it as "config_hash_scheme"; one without it was made with
/// scheme 1. Raise it, and keep reading the old one, when a hash must change.
inline constexpr int kConfigHashScheme = 1;

/// The scheme a record's config hash was made with (1 where it says none).
int config_hash_scheme_of(const nlohmann::json& record);

/// Every hashed setting of `settings` (and the fixed facts of the training
/// code beside them), at its row's hash path.
nlohmann::json hashed_settings_json(const RunSettings& settings);

}  // namespace greenbench
