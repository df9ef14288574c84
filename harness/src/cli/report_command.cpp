#include "cli/report_command.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "report/svg_plot.h"
#include "util/atomic_file.h"

namespace greenbench {
namespace {

using Json = nlohmann::json;

struct Cost {
  const char* key;     // row field
  const char* flag;    // pareto flag
  const char* label;   // for people
  double scale;        // row value -> shown unit
};
const Cost kCosts[] = {{"flops", "flops", "MFLOPs per instance", 1e-6},
                       {"latency_ms", "latency", "batch-1 latency, ms (p50)", 1},
                       {"energy_j", "energy", "energy per instance, J", 1}};

void print_frontier(const Json& task, const Cost& cost) {
  std::vector<const Json*> front;
  for (const auto& r : task["rows"]) {
    if (r["pareto"][cost.flag].get<bool>()) front.push_back(&r);
  }
  if (front.empty()) {
    std::printf("  %s: not measured\n", cost.label);
    return;
  }
  std::sort(front.begin(), front.end(), [&](const Json* a, const Json* b) {
    return (*a)[cost.key].get<double>() < (*b)[cost.key].get<double>();
  });
  std::printf("  best accuracy within a budget of %s (the Pareto frontier)\n", cost.label);
  std::printf("    %12s  %8s  %-12s %s\n", "budget", "accuracy", "method", "point");
  for (const Json* r : front) {
    std::string kind;
    if (std::string(cost.key) == "energy_j" && (*r)["energy_kind"] == "estimate") kind = " (estimate)";
    std::printf("    %12.4g  %8.4f  %-12s %s%s\n", (*r)[cost.key].get<double>() * cost.scale, (*r)["accuracy"].get<double>(),
                (*r)["method"].get<std::string>().c_str(), (*r)["point"].get<std::string>().c_str(), kind.c_str());
  }
}

Plot scatter(const Json& task, const Cost& cost) {
  Plot plot;
  plot.title = task["display_name"].get<std::string>() + ": accuracy against " + cost.label;
  plot.x_label = cost.label;
  plot.y_label = "accuracy";
  plot.log_x = true;
  std::map<std::string, PlotSeries> by_run;  // one curve per run: a method's operating points
  std::vector<std::string> order;
  for (const auto& r : task["rows"]) {
    if (r[cost.key].is_null()) continue;
    const std::string key = r["run_id"];
    if (!by_run.count(key)) {
      order.push_back(key);
      by_run[key].name = r["method"].get<std::string>();
    }
    by_run[key].x.push_back(r[cost.key].get<double>() * cost.scale);
    by_run[key].y.push_back(r["accuracy"].get<double>());
    if (r["pareto"][cost.flag].get<bool>()) {
      plot.frontier.x.push_back(r[cost.key].get<double>() * cost.scale);
      plot.frontier.y.push_back(r["accuracy"].get<double>());
    }
  }
  for (const auto& k : order) plot.series.push_back(by_run[k]);
  return plot;
}

}  // namespace

int report_command(const std::string& results_dir, const std::string& svg_dir, const std::string& only_task,
                   const LeaderboardOptions& options) {
  std::vector<std::string> skipped;
  const auto records = read_records(results_dir, &skipped);
  for (const auto& s : skipped) std::fprintf(stderr, "skipped %s\n", s.c_str());
  if (records.empty()) {
    std::fprintf(stderr, "greenbench report: no records under %s\n", results_dir.c_str());
    return 1;
  }
  const Json data = leaderboard_data(records, options);
  int written = 0;
  for (const auto& task : data["tasks"]) {
    const std::string name = task["name"];
    if (!only_task.empty() && name != only_task) continue;
    std::printf("\n%s (%zu operating points)\n", task["display_name"].get<std::string>().c_str(), task["rows"].size());
    for (const auto& cost : kCosts) print_frontier(task, cost);
    if (task["evp"].empty()) {
      std::printf("  expected validation performance: no method has 2 or more sweep trials here (greenbench sweep)\n");
    }
    for (const auto& e : task["evp"]) {
      std::printf("  expected best accuracy of %s after n of its %d trials (%s)\n", e["method"].get<std::string>().c_str(),
                  e["trials"].get<int>(), e["estimator"].get<std::string>().c_str());
      std::printf("    %4s  %10s  %8s  %8s  %8s\n", "n", ("budget " + e["budget_unit"].get<std::string>()).c_str(),
                  "E[max]", "lower", "upper");
      for (size_t i = 0; i < e["n"].size(); ++i) {
        std::printf("    %4d  %10.4g  %8.4f  %8.4f  %8.4f\n", e["n"][i].get<int>(), e["budget"][i].get<double>(),
                    e["expected"][i].get<double>(), e["lower"][i].get<double>(), e["upper"][i].get<double>());
      }
    }
    if (svg_dir.empty()) continue;
    for (const auto& cost : kCosts) {
      write_file_atomic(svg_dir + "/" + name + "-accuracy-vs-" + cost.flag + ".svg", render_svg(scatter(task, cost)));
      ++written;
    }
    if (!task["evp"].empty()) {
      Plot evp;
      evp.title = task["display_name"].get<std::string>() + ": expected validation performance";
      evp.x_label = task["evp"][0]["budget_unit"] == "trials" ? "trials" : "budget (" + task["evp"][0]["budget_unit"].get<std::string>() + ")";
      evp.y_label = "expected best accuracy";
      for (const auto& e : task["evp"]) {
        evp.series.push_back({e["method"], e["budget"].get<std::vector<double>>(), e["expected"].get<std::vector<double>>(),
                              e["lower"].get<std::vector<double>>(), e["upper"].get<std::vector<double>>()});
      }
      write_file_atomic(svg_dir + "/" + name + "-evp.svg", render_svg(evp));
      ++written;
    }
  }
  if (!svg_dir.empty()) std::printf("\n%d SVG plots under %s\n", written, svg_dir.c_str());
  return 0;
}

}  // namespace greenbench
