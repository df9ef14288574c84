// Runs a suite (or a sweep over its search space, or one shard of either):
// unit by unit, every method of the suite on one prepared task. Each run is
// keyed by its config hash and seed; a run whose record exists and validates
// (as `greenbench validate` checks, and as the record of this very run on this
// data) is read back, not redone. A record or checkpoint that does not is
// moved aside as <name>.invalid-<UTC time> with a warning, and the run is
// redone. Records are written atomically, so a run killed at any point (even
// by SIGKILL) leaves no half-written record and is redone, alone, on the next
// invocation.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/runner.h"
#include "run/suite.h"

namespace greenbench {

struct SuiteRunOptions {
  int trials = 0;  ///< 0: the suite's seeds; > 0: a sweep of that many trials
  int shard_index = 0, shard_count = 1;
  std::vector<std::string> tasks;  ///< only these of the suite's tasks (empty: all)
  std::string checkpoint_dir;      ///< also save every trained model here (<dir>/<task>/<method>-<hash>/)
  bool print_tables = true;        ///< one table per unit on stdout
};

struct SuiteRunResult {
  std::vector<nlohmann::json> records;
  int ran = 0, reused = 0;
  size_t units = 0;
};

/// The settings of one unit: `base` (the harness defaults, the suite's
/// settings and the flags given) with the unit's draws and seed applied.
RunSettings unit_settings(const Suite& suite, const SuiteUnit& unit, const RunSettings& base);

SuiteRunResult run_suite(const Suite& suite, const RunSettings& base, const SuiteRunOptions& options);

}  // namespace greenbench
