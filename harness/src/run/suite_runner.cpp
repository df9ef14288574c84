#include "run/suite_runner.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "report/task_table.h"
#include "run/settings_validation.h"
#include "train/precision.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace greenbench {
namespace {

// A run whose record already exists (same config hash and seed) is read
// back, not redone. The standard model stays in `prepared` for the methods
// that build on it (quantize, prune, distillation); when its record is
// reused, its checkpoint is loaded if there is one, else those methods train
// it again inside their own runs.
nlohmann::json run_or_reuse(PreparedTask& prepared, const SuiteMethod& run, const RunSettings& s,
                            const std::string& checkpoint_dir, SuiteRunResult& result) {
  const std::string hash = run_config_hash(prepared, run.method, merged_method_config(run.method, run.config), s);
  const std::string path = record_path(prepared.task->name(), run.method, hash, s);
  const std::string checkpoint =
      checkpoint_dir.empty() ? "" : checkpoint_dir + "/" + prepared.task->name() + "/" + run.method + "-" + hash;
  const bool shared_standard = run.method == "standard" && run.config.empty();
  if (std::filesystem::exists(path)) {
    std::fprintf(stderr, "%s %s: reusing %s\n", prepared.task->name().c_str(), run.method.c_str(), path.c_str());
    nlohmann::json record = nlohmann::json::parse(read_file(path));
    record["path"] = path;
    if (shared_standard && !checkpoint.empty() && std::filesystem::exists(checkpoint + "/run.json"))
      prepared.standard = std::make_shared<TrainedMethod>(load_trained(checkpoint));
    ++result.reused;
    return record;
  }
  auto trained = std::make_shared<TrainedMethod>(train_method(prepared, run.method, run.config, s));
  if (!checkpoint.empty()) save_trained(prepared, *trained, s, checkpoint);
  nlohmann::json record = evaluate_method(prepared, *trained, s);
  if (shared_standard) prepared.standard = trained;
  ++result.ran;
  return record;
}

}  // namespace

RunSettings unit_settings(const Suite& suite, const SuiteUnit& unit, const RunSettings& base) {
  RunSettings s = base;
  apply_suite_settings(unit.overrides, s, "suite '" + suite.name + "' " + unit.label());
  s.seed = unit.seed;
  s.train.seed = unit.seed;
  s.roles.seed = unit.seed;
  s.suite = suite.name;
  s.suite_version = suite.version;
  s.trial = unit.trial;
  s.trial_draws = unit.overrides;
  return s;
}

SuiteRunResult run_suite(const Suite& suite, const RunSettings& base, const SuiteRunOptions& options) {
  for (const auto& t : options.tasks) {
    if (std::find(suite.tasks.begin(), suite.tasks.end(), t) == suite.tasks.end())
      throw Error("task '" + t + "' is not in suite '" + suite.name + "'");
  }
  std::vector<SuiteUnit> units;
  for (auto& u : shard_units(plan_units(suite, options.trials), options.shard_index, options.shard_count)) {
    if (options.tasks.empty() || std::find(options.tasks.begin(), options.tasks.end(), u.task) != options.tasks.end())
      units.push_back(std::move(u));
  }
  // Every unit's settings (the flags, the suite's and each trial's draws) are
  // checked before the first unit reads any data.
  for (const auto& unit : units) validate_settings(unit_settings(suite, unit, base), "suite '" + suite.name + "' " + unit.label());
  SuiteRunResult result;
  result.units = units.size();
  std::fprintf(stderr, "suite %s v%s (%s): %zu units%s, %zu runs each\n", suite.name.c_str(), suite.version.c_str(),
               suite.source.c_str(), units.size(),
               options.shard_count > 1 ? (" in shard " + std::to_string(options.shard_index) + "/" +
                                          std::to_string(options.shard_count)).c_str()
                                       : "",
               suite.methods.size());
  for (size_t u = 0; u < units.size(); ++u) {
    const SuiteUnit& unit = units[u];
    std::fprintf(stderr, "[unit %zu/%zu] %s%s\n", u + 1, units.size(), unit.label().c_str(),
                 unit.overrides.empty() ? "" : (" " + unit.overrides.dump()).c_str());
    const RunSettings s = unit_settings(suite, unit, base);
    set_thread_budget(s.threads);
    apply_thread_layout(Precision::fp32);
    PreparedTask prepared = prepare_task(unit.task, s);
    std::vector<nlohmann::json> records;
    for (const auto& run : suite.methods) records.push_back(run_or_reuse(prepared, run, s, options.checkpoint_dir, result));
    if (options.print_tables) {
      std::printf("%s\n", format_task_table(unit.label(), records).c_str());
      std::fflush(stdout);
    }
    result.records.insert(result.records.end(), records.begin(), records.end());
  }
  return result;
}

}  // namespace greenbench
