// `greenbench validate FILES`: every record checked (record/record_validation.h),
// duplicates across the files named, one line per file and a summary.
#pragma once

#include <string>
#include <vector>

#include "record/record_validation.h"

namespace greenbench {

/// Files and folders (searched recursively for *.json). Returns the exit
/// status: 0 when every record passed, 1 otherwise.
int validate_command(const std::vector<std::string>& paths, const ValidationOptions& options);

/// The built-in dataset hashes with the versions of `file` added (same layout).
nlohmann::json dataset_hashes_with(const std::string& file);

}  // namespace greenbench
