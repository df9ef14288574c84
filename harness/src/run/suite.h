// Suites as data: which tasks, methods (with their configs), settings, seeds
// and search space a benchmark runs, read from versioned JSON files
// (suite/suites/*.json are built in). A suite expands into units, one per
// task and seed (or per task and sweep trial); a unit runs every method of
// the suite on one prepared task, so methods that build on the standard model
// share it. Units are the grain of resuming and of sharding.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/runner.h"

namespace greenbench {

/// One run a suite asks for on every task: a method and its config (a "grid"
/// in the file is expanded into one entry per value).
struct SuiteMethod {
  std::string method;
  nlohmann::json config = nlohmann::json::object();
};

/// One hyperparameter of the random search: a settings key and how to draw it.
struct SearchDimension {
  std::string key;    ///< a settings key (see apply_suite_settings) or "seed"
  std::string kind;   ///< "log_uniform", "uniform", "int" (inclusive range) or "choice"
  nlohmann::json args;  ///< [low, high], or the list of choices
};

struct Suite {
  std::string name, version, description;
  std::string source;  ///< the file it came from, or "built-in"
  std::vector<std::string> tasks;
  nlohmann::json settings = nlohmann::json::object();  ///< over the harness defaults
  std::vector<uint64_t> seeds;
  std::vector<SuiteMethod> methods;
  std::vector<SearchDimension> search;
  int default_trials = 0;  ///< "search.trials"; `sweep --trials` overrides
};

/// Parses a suite; errors name `source` and what was expected where.
Suite parse_suite(const nlohmann::json& j, const std::string& source);

/// A built-in suite by name, else a suite file by path.
Suite load_suite(const std::string& name_or_path);

/// The names of the built-in suites (smoke, quick, full, paper).
std::vector<std::string> builtin_suite_names();

/// Applies settings keys onto `settings`: the rows of the settings table
/// (settings/settings_table.cpp) that suites may give, under their names or
/// old names (lr for learning_rate, size, layers). Unknown keys, a setting
/// given twice, wrong types and values out of range are errors naming `where`.
void apply_suite_settings(const nlohmann::json& values, RunSettings& settings, const std::string& where);

/// The keys apply_suite_settings knows (names and old names), sorted.
const std::vector<std::string>& suite_setting_keys();

/// Trial `trial` of the suite's random search: one value per dimension, drawn
/// from a generator seeded by the suite's name, version and the trial number
/// alone, so trial t is the same in every sweep, however many trials it has.
nlohmann::json sample_trial(const Suite& suite, int trial);

/// One task with one setting of the suite: every method runs on it in order.
struct SuiteUnit {
  std::string task;
  int trial = -1;       ///< the sweep trial, -1 outside a sweep
  uint64_t seed = 0;
  nlohmann::json overrides = nlohmann::json::object();  ///< settings of this unit over the suite's (a trial's draws)
  std::string label() const;  ///< "sst2 seed 13" or "sst2 trial 3"
};

/// The units of a run (`trials` 0: every task with every seed of the suite)
/// or of a sweep (`trials` > 0: every task with each trial), in a fixed order:
/// trials (or seeds) outer, tasks inner.
std::vector<SuiteUnit> plan_units(const Suite& suite, int trials);

/// Shard `index` of `count`: units whose position modulo `count` is `index`,
/// so shards are disjoint, cover the plan, and do not depend on the machine.
std::vector<SuiteUnit> shard_units(const std::vector<SuiteUnit>& units, int index, int count);

/// Parses "i/N" (0 <= i < N).
std::pair<int, int> parse_shard(const std::string& text);

}  // namespace greenbench
