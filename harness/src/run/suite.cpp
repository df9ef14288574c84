#include "run/suite.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <random>

#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "greenbench/task.h"
#include "settings/settings_table.h"
#include "settings/settings_validation.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace greenbench {
namespace {

// {name, JSON text} of suite/suites/*.json, generated at configure time.
struct BuiltinSuite {
  const char* name;
  const char* text;
};
#include "run/builtin_suites.inc"

using Json = nlohmann::json;

// The settings-table row a suite may give under `key` (its name or an old
// name), or null.
const Setting* suite_setting(const std::string& key) {
  const Setting* row = find_setting(key);
  return row && row->in_suites() ? row : nullptr;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

const Json& required(const Json& j, const std::string& key, const std::string& where) {
  if (!j.contains(key)) throw Error(where + ": missing \"" + key + "\"");
  return j.at(key);
}

std::vector<SuiteMethod> parse_methods(const Json& list, const std::string& where) {
  if (!list.is_array() || list.empty()) throw Error(where + ": \"methods\" must be a non-empty list");
  std::vector<SuiteMethod> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string at = where + ": methods[" + std::to_string(i) + "]";
    const Json& m = list[i];
    if (!m.is_object()) throw Error(at + " must be an object like {\"method\": \"standard\"}");
    for (const auto& [key, value] : m.items()) {
      if (key != "method" && key != "config" && key != "grid") {
        throw Error(at + ": unknown key \"" + key + "\" (expected method, config, grid)");
      }
    }
    const Json& name = required(m, "method", at);
    if (!name.is_string()) throw Error(at + ": \"method\" must be a string");
    method_registry().get(name.get<std::string>());  // throws with the known names
    Json config = m.value("config", Json::object());
    if (!config.is_object()) throw Error(at + ": \"config\" must be an object");
    // Unknown keys and out-of-range values are refused now, not at the first run.
    validate_method_config(name.get<std::string>(), config, at + ".config");
    // A grid expands into one entry per combination, first key outermost;
    // the suite's total is checked first, so a hostile grid cannot exhaust memory.
    std::vector<Json> configs = {config};
    const Json grid = m.value("grid", Json::object());
    if (!grid.is_object()) throw Error(at + ": \"grid\" must be an object such as {\"layers\": [1, 2]}");
    constexpr size_t kMaxGridCombinations = 10000;
    size_t combinations = 1;
    for (const auto& [key, values] : grid.items()) {
      if (!values.is_array() || values.empty()) throw Error(at + ": grid \"" + key + "\" must be a non-empty list");
      combinations *= values.size();
      if (out.size() + combinations > kMaxGridCombinations)
        throw Error(at + ": the suite's grids make more than " + std::to_string(kMaxGridCombinations) +
                    " method entries; split it into several suites");
    }
    for (const auto& [key, values] : grid.items()) {
      std::vector<Json> expanded;
      for (const auto& c : configs) {
        for (const auto& v : values) {
          Json next = c;
          next[key] = v;
          expanded.push_back(next);
        }
      }
      configs = expanded;
    }
    for (auto& c : configs) {
      if (!grid.empty()) validate_method_config(name.get<std::string>(), c, at + ".grid");
      out.push_back({name.get<std::string>(), c});
    }
  }
  return out;
}

std::vector<SearchDimension> parse_search_space(const Json& space, const std::string& where) {
  if (!space.is_object()) throw Error(where + ": \"search.space\" must be an object");
  std::vector<SearchDimension> out;
  std::set<const Setting*> drawn;
  for (const auto& [key, spec] : space.items()) {
    const std::string at = where + ": search.space." + key;
    const Setting* row = suite_setting(key);
    if (key != "seed" && !row) {
      throw Error(at + ": not a settings key (known: seed, " + joined(suite_setting_keys()) + ")");
    }
    if (row && !drawn.insert(row).second) throw Error(at + ": " + row->name + " is drawn twice (under its old and new names)");
    if (!spec.is_object() || spec.size() != 1) {
      throw Error(at + ": expected one of {\"log_uniform\": [lo, hi]}, {\"uniform\": [lo, hi]}, {\"int\": [lo, hi]}, "
                       "{\"choice\": [...]}");
    }
    SearchDimension d{key, spec.begin().key(), spec.begin().value()};
    if (d.kind == "choice") {
      if (!d.args.is_array() || d.args.empty()) throw Error(at + ": \"choice\" needs a non-empty list");
    } else if (d.kind == "log_uniform" || d.kind == "uniform" || d.kind == "int") {
      if (!d.args.is_array() || d.args.size() != 2 || !d.args[0].is_number() || !d.args[1].is_number() ||
          d.args[0].get<double>() > d.args[1].get<double>()) {
        throw Error(at + ": \"" + d.kind + "\" needs [low, high] with low <= high");
      }
      if (d.kind == "log_uniform" && !(d.args[0].get<double>() > 0)) throw Error(at + ": log_uniform needs low > 0");
      if (d.kind == "int" && !(d.args[0].is_number_integer() && d.args[1].is_number_integer())) {
        throw Error(at + ": \"int\" needs integer bounds");
      }
    } else {
      throw Error(at + ": unknown distribution \"" + d.kind + "\" (log_uniform, uniform, int, choice)");
    }
    // Every draw must be a valid value of the setting: checked here, before a
    // sweep reads any data, not when trial t comes up.
    // ("seed" is checked by the seed's row, though suites give seeds as "seeds".)
    const Setting* ranged = find_setting(key);
    if (ranged && ranged->range) {
      if (ranged->range->integer && (d.kind == "uniform" || d.kind == "log_uniform"))
        throw SettingsError(at + ": \"" + d.kind + "\" draws fractions; " + key + " takes integers (use int or choice)");
      for (const auto& v : d.args) checked_setting_value(key, v, at);
    }
    out.push_back(d);
  }
  return out;
}

// Three significant digits: drawn learning rates read well and hash stably.
double round_significant(double x) {
  if (x == 0) return 0;
  const double scale = std::pow(10.0, 2 - std::floor(std::log10(std::fabs(x))));
  return std::round(x * scale) / scale;
}

}  // namespace

const std::vector<std::string>& suite_setting_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& row : settings_table()) {
      if (!row.in_suites()) continue;
      k.push_back(row.name);
      k.insert(k.end(), row.old_names.begin(), row.old_names.end());
    }
    std::sort(k.begin(), k.end());
    return k;
  }();
  return keys;
}

void apply_suite_settings(const Json& values, RunSettings& s, const std::string& where) {
  if (!values.is_object()) throw Error(where + ": settings must be an object");
  std::set<const Setting*> given;
  for (const auto& [key, value] : values.items()) {
    if (key == "latency_warmup")
      throw Error(where + ": setting \"latency_warmup\" (untimed calls) was replaced by \"latency_warmup_passes\" (untimed passes)");
    const Setting* row = suite_setting(key);
    if (!row) throw SettingsError(where + ": unknown setting \"" + key + "\" (known: " + joined(suite_setting_keys()) + ")");
    if (!given.insert(row).second)
      throw SettingsError(where + ": setting \"" + row->name + "\" is given twice (under its old and new names)");
    try {
      row->assign(value, s, key);
    } catch (const Json::exception& e) {
      throw SettingsError(where + ": setting \"" + key + "\": " + e.what());
    } catch (const Error& e) {
      throw SettingsError(where + ": " + e.what());
    }
  }
}

Suite parse_suite(const Json& j, const std::string& source) {
  if (!j.is_object()) throw Error(source + ": a suite must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    static const std::vector<std::string> known = {"name", "version", "description", "tasks", "settings", "seeds", "methods", "search"};
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw Error(source + ": unknown key \"" + key + "\" (expected " + joined(known) + ")");
    }
  }
  Suite suite;
  suite.source = source;
  const Json& name = required(j, "name", source);
  const Json& version = required(j, "version", source);
  if (!name.is_string() || name.get<std::string>().empty()) throw Error(source + ": \"name\" must be a non-empty string");
  if (!version.is_string() || version.get<std::string>().empty()) throw Error(source + ": \"version\" must be a string such as \"1\"");
  suite.name = name;
  suite.version = version;
  suite.description = j.value("description", "");

  const Json& tasks = required(j, "tasks", source);
  if (!tasks.is_array() || tasks.empty()) throw Error(source + ": \"tasks\" must be a non-empty list of task names");
  for (const auto& t : tasks) {
    if (!t.is_string()) throw Error(source + ": \"tasks\" holds " + t.dump() + ", not a task name");
    make_task(t.get<std::string>());  // throws with the known names
    suite.tasks.push_back(t);
  }

  suite.settings = j.value("settings", Json::object());
  RunSettings probe;
  apply_suite_settings(suite.settings, probe, source);  // every key and type checked now, not at the first run

  const Json seeds = j.value("seeds", Json::array({13}));
  if (!seeds.is_array() || seeds.empty()) throw Error(source + ": \"seeds\" must be a non-empty list of integers");
  for (const auto& s : seeds) {
    suite.seeds.push_back(static_cast<uint64_t>(checked_setting_value("seed", s, source + ": seeds")));
  }

  suite.methods = parse_methods(required(j, "methods", source), source);
  if (j.contains("search")) {
    const Json& search = j.at("search");
    if (!search.is_object()) throw Error(source + ": \"search\" must be an object with \"trials\" and \"space\"");
    const Json trials = search.value("trials", Json(0));
    // (an unsigned value above 2^63 reads as negative here, so it is refused too)
    if (!trials.is_number_integer() || trials.get<int64_t>() < 0 || trials.get<int64_t>() > 1000000)
      throw SettingsError(source + ": search.trials = " + trials.dump() + ": expected an integer in [0, 1000000]");
    suite.default_trials = trials.get<int>();
    suite.search = parse_search_space(search.value("space", Json::object()), source);
  }
  return suite;
}

std::vector<std::string> builtin_suite_names() {
  std::vector<std::string> names;
  for (const auto& b : kBuiltinSuites) names.emplace_back(b.name);
  return names;
}

Suite load_suite(const std::string& name_or_path) {
  for (const auto& b : kBuiltinSuites) {
    if (name_or_path == b.name) {
      Suite suite = parse_suite(Json::parse(b.text), std::string("built-in suite ") + b.name);
      suite.source = "built-in";
      return suite;
    }
  }
  if (!std::filesystem::is_regular_file(name_or_path)) {
    throw Error("no suite '" + name_or_path + "': not a built-in suite (" + joined(builtin_suite_names()) +
                ") and not a file");
  }
  Json j;
  try {
    j = Json::parse(read_file(name_or_path));
  } catch (const Json::parse_error& e) {
    throw Error(name_or_path + ": not valid JSON: " + e.what());
  }
  return parse_suite(j, name_or_path);
}

Json sample_trial(const Suite& suite, int trial) {
  // The generator's seed depends on the suite and the trial alone.
  const std::string key = suite.name + "/" + suite.version + "/trial/" + std::to_string(trial);
  const std::string digest = sha256_hex(key);
  std::mt19937_64 rng(std::stoull(digest.substr(0, 16), nullptr, 16));
  Json drawn = Json::object();
  for (const auto& d : suite.search) {
    if (d.kind == "choice") {
      std::uniform_int_distribution<size_t> pick(0, d.args.size() - 1);
      drawn[d.key] = d.args[pick(rng)];
    } else if (d.kind == "int") {
      std::uniform_int_distribution<int64_t> pick(d.args[0].get<int64_t>(), d.args[1].get<int64_t>());
      drawn[d.key] = pick(rng);
    } else {
      const double lo = d.args[0].get<double>(), hi = d.args[1].get<double>();
      std::uniform_real_distribution<double> u(0.0, 1.0);
      const double x = d.kind == "log_uniform" ? std::exp(std::log(lo) + u(rng) * (std::log(hi) - std::log(lo)))
                                               : lo + u(rng) * (hi - lo);
      drawn[d.key] = std::clamp(round_significant(x), lo, hi);
    }
  }
  return drawn;
}

std::string SuiteUnit::label() const {
  return task + (trial >= 0 ? " trial " + std::to_string(trial) : " seed " + std::to_string(seed));
}

std::vector<SuiteUnit> plan_units(const Suite& suite, int trials) {
  std::vector<SuiteUnit> units;
  if (trials <= 0) {
    for (uint64_t seed : suite.seeds) {
      for (const auto& task : suite.tasks) units.push_back({task, -1, seed, Json::object()});
    }
    return units;
  }
  if (suite.search.empty()) throw Error("suite '" + suite.name + "' declares no search space (\"search\": {\"space\": ...}) to sweep");
  for (int t = 0; t < trials; ++t) {
    Json drawn = sample_trial(suite, t);
    // A drawn seed replaces the suite's; otherwise every trial uses its first seed.
    uint64_t seed = suite.seeds.front();
    if (drawn.contains("seed")) {
      seed = drawn.at("seed").get<uint64_t>();
      drawn.erase("seed");
    }
    for (const auto& task : suite.tasks) units.push_back({task, t, seed, drawn});
  }
  return units;
}

std::vector<SuiteUnit> shard_units(const std::vector<SuiteUnit>& units, int index, int count) {
  if (count < 1 || index < 0 || index >= count) {
    throw Error("shard " + std::to_string(index) + "/" + std::to_string(count) + ": need 0 <= i < N");
  }
  std::vector<SuiteUnit> mine;
  for (size_t u = 0; u < units.size(); ++u) {
    if (static_cast<int>(u % static_cast<size_t>(count)) == index) mine.push_back(units[u]);
  }
  return mine;
}

std::pair<int, int> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  int i = -1, n = 0;
  try {
    if (slash == std::string::npos) throw Error("");
    size_t used_i = 0, used_n = 0;
    i = std::stoi(text.substr(0, slash), &used_i);
    n = std::stoi(text.substr(slash + 1), &used_n);
    if (used_i != slash || used_n != text.size() - slash - 1) throw Error("");
  } catch (const std::exception&) {
    throw Error("--shard '" + text + "': expected i/N, such as 0/4");
  }
  if (n < 1 || i < 0 || i >= n) throw Error("--shard '" + text + "': need 0 <= i < N");
  return {i, n};
}

}  // namespace greenbench
