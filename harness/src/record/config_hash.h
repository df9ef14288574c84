// The hash that names a configuration: of a run (runner.h's run_config_hash
// hashes method, config, settings, task and training data with it), of a
// learned vocabulary, of a pretrained encoder. Part of every record's run id.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace greenbench {

/// sha256 (first 16 hex digits) of the canonical JSON of `j`.
std::string config_hash(const nlohmann::json& j);

}  // namespace greenbench
