#include "run/suite_runner.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

#include "greenbench/bert/precision.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "record/record_path.h"
#include "record/record_validation.h"
#include "record/run_record.h"
#include "report/task_table.h"
#include "settings/settings_validation.h"
#include "util/atomic_file.h"

namespace greenbench {
namespace {

namespace fs = std::filesystem;

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
  return text;
}

// Moves a record or checkpoint that cannot be trusted out of the way, beside
// itself as <name>.invalid-<UTC time>: kept for a look, but no longer a
// *.json that report, site build or merge would read, nor a checkpoint
// folder that a later run would load. Says so on stderr, with the reason.
void move_aside(const std::string& path, const std::string& what, const std::string& reason) {
  std::string aside = path + ".invalid-" + utc_stamp();
  if (fs::exists(aside)) {  // moved aside before within the same second
    int n = 2;
    while (fs::exists(aside + "-" + std::to_string(n))) ++n;
    aside += "-" + std::to_string(n);
  }
  fs::rename(path, aside);
  std::fprintf(stderr, "greenbench: warning: %s %s is not valid (%s); moved aside to %s\n", what.c_str(),
               path.c_str(), reason.c_str(), aside.c_str());
}

// Why the record text found at a run's path cannot stand for that run ("" when
// it can): it must pass the checks of `greenbench validate` and be the record
// of this very run (task, method, config hash, seed) on this very data. The
// data version is compared with the data at hand rather than the known
// versions, so local data may be any version.
std::string reuse_problem(const std::string& text, const PreparedTask& prepared, const std::string& method,
                          const std::string& hash, const RunSettings& s, nlohmann::json& record) {
  ValidationOptions options;
  options.allow_unknown_data = true;
  RecordValidation v = validate_record_text(text, options);
  if (!v.ok()) {
    std::string why = v.errors.front();
    if (v.errors.size() > 1) why += " (and " + std::to_string(v.errors.size() - 1) + " more)";
    return why;
  }
  record = std::move(v.record);
  const std::string task = prepared.task->name();
  const std::string run_id = record_run_id(task, method, hash, s.seed);
  try {
    const RunRecord r = RunRecord::from_json(record);
    if (r.run_id != run_id) return "its run_id is " + nlohmann::json(r.run_id).dump() + ", this run's " + run_id;
    if (r.task.name != task) return "it is a record of task " + nlohmann::json(r.task.name).dump();
    if (r.method.name != method) return "it is a record of method " + nlohmann::json(r.method.name).dump();
    // The schema requires the fields below, so the record read above has them.
    if (r.method.config_hash != hash)
      return "its config hash is " + nlohmann::json(r.method.config_hash.value_or("")).dump() + ", this run's " + hash;
    if (r.seed() != s.seed)
      return "its seed is " + nlohmann::json(r.seed().value_or(0)).dump() + ", this run's " + std::to_string(s.seed);
    if (!r.task.train || r.task.train->sha256 != prepared.data.train.sha256) return "it was trained on other training data";
    if (!r.task.test || r.task.test->sha256 != prepared.data.test.sha256) return "it was evaluated on other test data";
  } catch (const std::exception& e) {
    return std::string("cannot read it: ") + e.what();
  }
  return "";
}

// A run whose record already exists (same config hash and seed) and checks
// out is read back, not redone; a record that does not is moved aside and the
// run redone. The base model (the standard one) stays in `prepared` for the methods that
// build on it (quantize, prune, distillation); when its record is reused, its
// checkpoint is loaded if there is one and it verifies (else it is moved
// aside), else those methods train it again inside their own runs.
nlohmann::json run_or_reuse(PreparedTask& prepared, const SuiteMethod& run, const RunSettings& s,
                            const std::string& checkpoint_dir, SuiteRunResult& result) {
  const std::string hash = run_config_hash(prepared, run.method, merged_method_config(run.method, run.config), s);
  const std::string path = record_path(prepared.task->name(), run.method, hash, s);
  const std::string checkpoint =
      checkpoint_dir.empty() ? "" : checkpoint_dir + "/" + prepared.task->name() + "/" + run.method + "-" + hash;
  // The base model other methods build on is kept for them when it runs with its defaults.
  const bool shared_base = method_registry().get(run.method).provides_base_model && run.config.empty();
  if (fs::exists(path)) {
    nlohmann::json record;
    std::string problem;
    try {
      problem = reuse_problem(read_file(path), prepared, run.method, hash, s, record);
    } catch (const std::exception& e) {
      problem = e.what();
    }
    if (problem.empty()) {
      std::fprintf(stderr, "%s %s: reusing %s\n", prepared.task->name().c_str(), run.method.c_str(), path.c_str());
      record["path"] = path;
      if (shared_base && !checkpoint.empty() && fs::exists(checkpoint + "/run.json")) {
        try {
          prepared.base = std::make_shared<TrainedMethod>(load_trained(checkpoint));
        } catch (const std::exception& e) {
          move_aside(checkpoint, "checkpoint", e.what());
        }
      }
      ++result.reused;
      return record;
    }
    move_aside(path, "record", problem + "; the run is redone");
  }
  auto trained = std::make_shared<TrainedMethod>(train_method(prepared, run.method, run.config, s));
  if (!checkpoint.empty()) save_trained(prepared, *trained, s, checkpoint);
  nlohmann::json record = evaluate_method(prepared, *trained, s);
  if (shared_base) prepared.base = trained;
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
      std::printf("%s\n", format_task_table(unit.label(), records, method_registry().base_model_provider().name).c_str());
      std::fflush(stdout);
    }
    result.records.insert(result.records.end(), records.begin(), records.end());
  }
  return result;
}

}  // namespace greenbench
