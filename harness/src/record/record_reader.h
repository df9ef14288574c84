// One reader of record files for everything that reads results folders
// (report, site build, merge, the leaderboard data); it also gives the
// typed record (run_record.h): a file that does not
// parse, or lacks a field those readers use, or has it with another type,
// is skipped with its path and the reason, never read through a missing
// key. Lighter than `greenbench validate` (record_validation.h) on purpose:
// a hand-edited record that the schema refuses (markup in a method name,
// say) is still shown, as text; one the readers cannot read is not.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "record/run_record.h"

namespace greenbench {

/// "" when every field the readers need is there with its type, and every
/// optional one they look at that is there has its type; else the first
/// problem, e.g. "operating_points[2].accuracy: missing (expected a number)".
std::string record_reader_problem(const nlohmann::json& record);

struct RecordFile {
  nlohmann::json record;  ///< parsed (null when it did not parse)
  RunRecord run;          ///< typed, with its path, when ok()
  std::string text;       ///< the file's bytes
  std::string problem;    ///< "" when the readers can use it, else why not
  bool ok() const { return problem.empty(); }
};

/// Reads, parses and checks one record file. Never throws for a bad file:
/// files over `max_bytes`, unreadable or not JSON are a problem too.
RecordFile read_record_file(const std::string& path, std::size_t max_bytes = std::size_t{64} << 20);

}  // namespace greenbench
