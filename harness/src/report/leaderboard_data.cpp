#include "report/leaderboard_data.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

#include "record/record_reader.h"
#include "report/expected_validation.h"
#include "report/pareto.h"

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

Json number_or_null(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

std::string hardware_of(const RunRecord& r) {
  const int threads = r.threads().value_or(0);
  return r.hardware_cpu().value_or("unknown CPU") + ", " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
}

// Training time (hours) or energy (kWh) of a run, for the EVP budget axis;
// `estimated` is set when the energy is the labelled estimate, not measured.
double trial_cost(const RunRecord& r, const std::string& budget, bool& estimated) {
  const auto& eff = r.efficiency;
  if (budget == "hours") return (eff ? eff->train_and_calibrate_seconds.value_or(0.0) : 0.0) / 3600.0;
  if (budget == "kwh") {
    const Json training = eff && eff->energy ? eff->energy->training.value_or(Json()) : Json();
    const auto [joules, kind] = joules_of(training);
    if (kind == "estimate") estimated = true;
    return std::isfinite(joules) ? joules / 3.6e6 : 0.0;
  }
  return 1.0;
}

}  // namespace

std::vector<RunRecord> read_records(const std::string& dir, std::vector<std::string>* skipped) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  if (fs::is_directory(dir)) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<RunRecord> records;
  for (const auto& f : files) {
    RecordFile read = read_record_file(f);
    if (!read.ok()) {
      if (skipped) skipped->push_back(f + ": " + read.problem);
      continue;
    }
    records.push_back(std::move(read.run));
  }
  return records;
}

Json leaderboard_data(const std::vector<RunRecord>& records, const LeaderboardOptions& options) {
  std::map<std::string, std::vector<const RunRecord*>> by_task;
  for (const auto& r : records) by_task[r.task.name].push_back(&r);

  Json tasks = Json::array();
  for (const auto& [task, runs] : by_task) {
    Json rows = Json::array();
    std::vector<double> accuracy, flops, latency, energy;
    for (const RunRecord* r : runs) {
      const double instances = std::max(1.0, r->test_examples().value_or(1.0));
      for (const auto& p : r->operating_points) {
        const std::optional<double> p50 = p.latency_p50_seconds();
        const double ms = p50 ? 1000 * *p50 : kNotMeasured;
        auto [joules, kind] = joules_of(p.reading("energy"));
        joules /= instances;  // the reading covers the whole test role
        rows.push_back({{"run_id", r->run_id},
                        {"method", r->method.name},
                        {"family", r->method.family.value_or("")},
                        {"point", p.name},
                        {"headline", p.name == r->metrics.operating_point},
                        {"accuracy", p.accuracy},
                        {"macro_f1", p.macro_f1 ? Json(*p.macro_f1) : Json(nullptr)},
                        {"flops", p.flops_per_instance},
                        {"latency_ms", number_or_null(ms)},
                        {"energy_j", number_or_null(joules)},
                        {"energy_kind", kind.empty() ? Json(nullptr) : Json(kind)},
                        {"hardware", hardware_of(*r)},
                        {"suite", r->suite_name()},
                        {"seed", r->seed().value_or(0)},
                        {"record", "runs/" + r->run_id + ".js"}});
        accuracy.push_back(p.accuracy);
        flops.push_back(p.flops_per_instance);
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
    std::map<std::string, std::vector<const RunRecord*>> trials;
    for (const RunRecord* r : runs) {
      if (r->is_sweep_trial()) trials[r->method.name].push_back(r);
    }
    Json evp = Json::array();
    for (const auto& [method, list] : trials) {
      if (list.size() < 2) continue;
      std::vector<double> values;
      double cost = 0;
      bool estimated = false;
      for (const RunRecord* r : list) {
        values.push_back(r->metrics.accuracy);
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
                     {"display_name", runs.front()->task.display_name.value_or(task)},
                     {"rows", rows},
                     {"evp", evp}});
  }
  return {{"schema", "greenbench-leaderboard/1"}, {"tasks", tasks}};
}

}  // namespace greenbench
