#include "report/leaderboard_data.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

#include "report/expected_validation.h"
#include "report/pareto.h"
#include "util/atomic_file.h"

namespace greenbench {
namespace {

using Json = nlohmann::json;
const double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

// Joules of one energy reading (a phase's "energy" block): measured, else
// its labelled estimate, else not a number.
std::pair<double, std::string> joules_of(const Json& e) {
  if (!e.is_object()) return {kNotMeasured, ""};
  if (e.value("measured", false) && e.contains("joules") && e["joules"].is_number()) return {e["joules"].get<double>(), "measured"};
  if (e.contains("estimate") && e["estimate"].is_object() && e["estimate"].contains("joules"))
    return {e["estimate"]["joules"].get<double>(), "estimate"};
  return {kNotMeasured, ""};
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
    try {
      Json r = Json::parse(read_file(f));
      if (!r.is_object() || !r.contains("run_id") || !r.contains("operating_points") || !r["operating_points"].is_array() ||
          r["operating_points"].empty()) {
        if (skipped) skipped->push_back(f + ": not a record (no run_id or operating points)");
        continue;
      }
      r["path"] = f;
      records.push_back(std::move(r));
    } catch (const std::exception& e) {
      if (skipped) skipped->push_back(f + ": " + e.what());
    }
  }
  return records;
}

Json leaderboard_data(const std::vector<Json>& records, const LeaderboardOptions& options) {
  std::map<std::string, std::vector<const Json*>> by_task;
  for (const auto& r : records) by_task[r["task"]["name"].get<std::string>()].push_back(&r);

  Json tasks = Json::array();
  for (const auto& [task, runs] : by_task) {
    Json rows = Json::array();
    std::vector<double> accuracy, flops, latency, energy;
    for (const Json* r : runs) {
      const double instances = std::max(1.0, (*r)["task"]["roles"]["test"].value("examples", 1.0));
      const std::string headline = (*r)["metrics"].value("operating_point", "");
      for (const auto& p : (*r)["operating_points"]) {
        const Json& l = p.value("latency_batch1", Json(nullptr));
        const double ms = l.is_object() && l.contains("p50_seconds") ? 1000 * l["p50_seconds"].get<double>() : kNotMeasured;
        auto [joules, kind] = joules_of(p.value("energy", Json()));
        joules /= instances;  // the reading covers the whole test role
        const std::string run_id = (*r)["run_id"];
        rows.push_back({{"run_id", run_id},
                        {"method", (*r)["method"]["name"]},
                        {"family", (*r)["method"].value("family", "")},
                        {"point", p["name"]},
                        {"headline", p["name"] == headline},
                        {"accuracy", p["accuracy"]},
                        {"macro_f1", p.value("macro_f1", Json(nullptr))},
                        {"flops", p["flops_per_instance"]},
                        {"latency_ms", number_or_null(ms)},
                        {"energy_j", number_or_null(joules)},
                        {"energy_kind", kind.empty() ? Json(nullptr) : Json(kind)},
                        {"hardware", hardware_of(*r)},
                        {"suite", (*r)["suite"].is_object() ? (*r)["suite"].value("name", Json("")) : (*r)["suite"]},
                        {"seed", (*r).value("reproducibility", Json::object()).value("seed", 0)},
                        {"record", "runs/" + run_id + ".js"}});
        accuracy.push_back(p["accuracy"].get<double>());
        flops.push_back(p["flops_per_instance"].get<double>());
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
      if ((*r)["suite"].is_object() && (*r)["suite"].contains("trial")) trials[(*r)["method"]["name"]].push_back(r);
    }
    Json evp = Json::array();
    for (const auto& [method, list] : trials) {
      if (list.size() < 2) continue;
      std::vector<double> values;
      double cost = 0;
      bool estimated = false;
      for (const Json* r : list) {
        values.push_back((*r)["metrics"]["accuracy"].get<double>());
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
