// `greenbench report`: the budget-aware views of a results folder, as
// terminal tables and SVG plots: per task, which method and operating point
// wins at each budget of FLOPs, batch-1 latency and energy (the Pareto
// frontier), and expected validation performance of every method with sweep
// trials (Dodge et al. 2019).
#pragma once

#include <string>

#include "report/leaderboard_data.h"

namespace greenbench {

/// Prints the tables; writes <task>-accuracy-vs-<cost>.svg and <task>-evp.svg
/// under `svg_dir` (none when empty). Returns the exit status.
int report_command(const std::string& results_dir, const std::string& svg_dir, const std::string& only_task,
                   const LeaderboardOptions& options);

}  // namespace greenbench
