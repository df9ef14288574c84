// Records you can trust: a record's text is checked for size and nesting
// before it is parsed, then against results/schema.json (compiled in, checked
// with valijson), then for what a schema cannot say: FLOPs recomputed from
// each point's compute paths and model, headline metrics equal to their
// point, instance counts that add up, and a dataset hash known for the task.
// Used by `greenbench validate` and by the ingest server.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace greenbench {

struct ValidationOptions {
  size_t max_bytes = 8u << 20;  ///< larger texts are refused unread
  int max_depth = 64;           ///< deeper nesting is refused before parsing
  /// {"tasks": {task: {version: {file: sha256}}}}; default: results/dataset_hashes.json
  nlohmann::json dataset_hashes;
  bool allow_unknown_data = false;  ///< an unknown dataset hash is a warning, not an error
};

struct RecordValidation {
  std::vector<std::string> errors, warnings;
  nlohmann::json record;       ///< the parsed record (null when it did not parse)
  std::string duplicate_key;   ///< task, method, config hash, seed, hardware; empty when not a record
  bool ok() const { return errors.empty(); }
};

/// Checks one record's text. Never throws on bad input: every problem is an error in the result.
RecordValidation validate_record_text(const std::string& text, const ValidationOptions& options);

/// The built-in schema (results/schema.json) and dataset hashes (results/dataset_hashes.json).
const nlohmann::json& record_schema();
const nlohmann::json& builtin_dataset_hashes();

/// "" when `text` is within `max_bytes` and nests at most `max_depth` deep, else why not.
std::string json_limits_problem(const std::string& text, size_t max_bytes, int max_depth);

/// The key two records of the same run share: task, method, config hash, seed, hardware.
std::string record_duplicate_key(const nlohmann::json& record);

}  // namespace greenbench
