// Records -> the leaderboard's data: per task, one row per operating point
// (accuracy, FLOPs, batch-1 latency, energy per instance, hardware) with its
// Pareto flags for each cost, and expected-validation-performance curves of
// every method with sweep trials. `greenbench report` prints it as tables and
// SVG plots; `greenbench site build` writes it for the static site
// (web/README.md has the format).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "record/run_record.h"

namespace greenbench {

struct LeaderboardOptions {
  bool evp_without_replacement = false;  ///< the unbiased estimator instead of the paper's
  /// x-axis of the EVP curves: "trials", "hours" (training time) or "kwh" (training energy)
  std::string evp_budget = "trials";
};

/// The leaderboard ("schema": "greenbench-leaderboard/1"): {"tasks": [{"name",
/// "display_name", "rows": [...], "evp": [...]}]}, tasks and rows in a stable order.
nlohmann::json leaderboard_data(const std::vector<RunRecord>& records, const LeaderboardOptions& options = {});

/// Every *.json under `dir` (recursively) that read_record_file accepts
/// (record_reader.h), each with its path, sorted by path; `skipped` gets
/// "path: why" for the rest.
std::vector<RunRecord> read_records(const std::string& dir, std::vector<std::string>* skipped = nullptr);

}  // namespace greenbench
