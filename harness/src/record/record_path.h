// Where a record lives and what it is called: run id <task>-<method>-<key>-s<seed>,
// where the key is the config hash (plus "-eval-<hash>" for a checkpoint
// evaluated again), and the file <results>/<task>/<run id>.json. The suite
// runner finds a finished run by this rule, so it is written once, here.
#pragma once

#include <cstdint>
#include <string>

namespace greenbench {

/// <task>-<method>-<key>-s<seed>
std::string record_run_id(const std::string& task, const std::string& method, const std::string& key, uint64_t seed);

/// <results_dir>/<task>/<run id>.json
std::string record_file_path(const std::string& results_dir, const std::string& task, const std::string& method,
                             const std::string& key, uint64_t seed);

}  // namespace greenbench
