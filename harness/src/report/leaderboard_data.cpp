#include "report/leaderboard_data.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

#include "report/expected_validation.h"
#include "report/pareto.h"
#include "report/record_reader.h"

namespace greenbench {
namespace {

using Json = nlohmann::json;
const double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

// Joules of one energy reading (a phase's "energy" block): measured, else
// its labelled estimate, else not a number.
std::pair<double, std::string> joules_of(const Json& e) {
  if (!e.is_object()) return {kNotMeasured, ""};
  if (e.value("measured", false) && e.contains("joules") && e.at("joules").is_number()) return {e.at("joules").get<double>(), "measured"};
  if (e.contains("estimate") && e.at("estimate").is_object() && e.at("estimate").contains("joules"))
    return {e.at("estimate").at("joules").get<double>(), "estimate"};
  return {kNotMeasured, ""};
}

// A field the reader check lets be absent: null when it (or its parent) is.
const Json& optional(const Json& j, const char* key) {
  static const Json absent;
  if (!j.is_object()) return absent;
  const auto it = j.find(key);
  return it == j.end() ? absent : *it;
}

Json number_or_null(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

std::string hardware_of(const Json& r) {
  const Json& h = r.value("hardware", Json::object());
  const int threads = r.value("reproducibility", Json::object()).value("threads", 0);
  return h.value("cpu", std::string("unknown CPU")) + ", " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
}

// Training time (hours) or energy (kWh) of a run, for the EVP budget axis;
// `estimated` is set when the energy is the labelled estimate, not measured.
double trial_cost(const Json& r, const std::string& budget, bool& estimated) {
  const Json& eff = r.value("efficiency", Json::object());
  if (budget == "hours") return eff.value("train_and_calibrate_seconds", 0.0) / 3600.0;
  if (budget == "kwh") {
    const auto [joules, kind] = joules_of(eff.value("energy", Json::object()).value("training", Json()));
    if (kind == "estimate") estimated = true;
    return std::isfinite(joules) ? joules / 3.6e6 : 0.0;
  }
  return 1.0;
}

}  // namespace

std::vector<Json> read_records(const std::string& dir, std::vector<std::string>* skipped) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  if (fs::is_directory(dir)) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Json> records;
  for (const auto& f : files) {
    RecordFile read = read_record_file(f);
    if (!read.ok()) {
      if (skipped) skipped->push_back(f + ": " + read.problem);
      continue;
    }
    read.record["path"] = f;
    records.push_back(std::move(read.record));
  }
  return records;
}

Json leaderboard_data(const std::vector<Json>& records, const LeaderboardOptions& options) {
  std::map<std::string, std::vector<const Json*>> by_task;
  for (const auto& r : records) by_task[r.at("task").at("name").get<std::string>()].push_back(&r);

  Json tasks = Json::array();
  for (const auto& [task, runs] : by_task) {
    Json rows = Json::array();
    std::vector<double> accuracy, flops, latency, energy;
    for (const Json* r : runs) {
      const Json& examples = optional(optional(optional(r->at("task"), "roles"), "test"), "examples");
      const double instances = std::max(1.0, examples.is_number() ? examples.get<double>() : 1.0);
      const std::string headline = r->at("metrics").at("operating_point");
      for (const auto& p : r->at("operating_points")) {
        const Json& l = optional(p, "latency_batch1");
        const double ms = l.is_object() && l.contains("p50_seconds") ? 1000 * l.at("p50_seconds").get<double>() : kNotMeasured;
        auto [joules, kind] = joules_of(optional(p, "energy"));
        joules /= instances;  // the reading covers the whole test role
        const std::string run_id = r->at("run_id");
        const Json& suite = optional(*r, "suite");
        rows.push_back({{"run_id", run_id},
                        {"method", r->at("method").at("name")},
                        {"family", r->at("method").value("family", "")},
                        {"point", p.at("name")},
                        {"headline", p.at("name") == headline},
                        {"accuracy", p.at("accuracy")},
                        {"macro_f1", optional(p, "macro_f1")},
                        {"flops", p.at("flops_per_instance")},
                        {"latency_ms", number_or_null(ms)},
                        {"energy_j", number_or_null(joules)},
                        {"energy_kind", kind.empty() ? Json(nullptr) : Json(kind)},
                        {"hardware", hardware_of(*r)},
                        {"suite", suite.is_object() ? suite.value("name", Json("")) : suite},
                        {"seed", r->value("reproducibility", Json::object()).value("seed", 0)},
                        {"record", "runs/" + run_id + ".js"}});
        accuracy.push_back(p.at("accuracy").get<double>());
        flops.push_back(p.at("flops_per_instance").get<double>());
        latency.push_back(ms);
        energy.push_back(joules);
      }
    }
    const auto on_flops = pareto_front(flops, accuracy), on_latency = pareto_front(latency, accuracy),
               on_energy = pareto_front(energy, accuracy);
    for (size_t i = 0; i < rows.size(); ++i) {
      rows[i]["pareto"] = {{"flops", static_cast<bool>(on_flops[i])},
                           {"latency", static_cast<bool>(on_latency[i])},
                           {"energy", static_cast<bool>(on_energy[i])}};
    }

    // EVP: the sweep trials of each method (records with a suite trial), headline accuracy.
    std::map<std::string, std::vector<const Json*>> trials;
    for (const Json* r : runs) {
      const Json& suite = optional(*r, "suite");
      if (suite.is_object() && suite.contains("trial")) trials[r->at("method").at("name")].push_back(r);
    }
    Json evp = Json::array();
    for (const auto& [method, list] : trials) {
      if (list.size() < 2) continue;
      std::vector<double> values;
      double cost = 0;
      bool estimated = false;
      for (const Json* r : list) {
        values.push_back(r->at("metrics").at("accuracy").get<double>());
        cost += trial_cost(*r, options.evp_budget, estimated);
      }
      const ExpectedMaxCurve c = options.evp_without_replacement ? expected_max_without_replacement(values)
                                                                 : expected_max_with_replacement(values);
      Json budget = Json::array();
      for (int n : c.n) budget.push_back(n * cost / static_cast<double>(list.size()));
      evp.push_back({{"method", method},
                     {"trials", list.size()},
                     {"n", c.n},
                     {"budget", budget},
                     {"budget_unit", options.evp_budget + (estimated ? " (estimate)" : "")},
                     {"estimator", options.evp_without_replacement ? "without replacement" : "with replacement"},
                     {"expected", c.expected},
                     {"lower", c.lower},
                     {"upper", c.upper}});
    }
    tasks.push_back({{"name", task},
                     {"display_name", runs.front()->at("task").value("display_name", task)},
                     {"rows", rows},
                     {"evp", evp}});
  }
  return {{"schema", "greenbench-leaderboard/1"}, {"tasks", tasks}};
}

}  // namespace greenbench
