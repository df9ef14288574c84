// `greenbench bench`: the main job. For each task, the standard model, the
// truncated baselines at every exit layer but the last, and early exit; one
// record per run and one table per task.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/runner.h"

namespace greenbench {

/// Applies a named configuration ("quick" or "large") to the settings.
void apply_bench_preset(const std::string& preset, RunSettings& settings);

/// Runs the suite on `tasks`; returns every record written. With a
/// `checkpoint_dir`, each trained model is also saved there
/// (<dir>/<task>/<method>-<config hash>/), so `greenbench eval` can measure it again.
std::vector<nlohmann::json> run_bench(const std::vector<std::string>& tasks, const RunSettings& settings,
                                      const std::string& checkpoint_dir = "");

/// The per-task table: method, setting, accuracy, FLOPs/instance, speed-ups
/// in FLOPs and in wall time against the standard model.
std::string format_task_table(const std::string& task, const std::vector<nlohmann::json>& records);

}  // namespace greenbench
