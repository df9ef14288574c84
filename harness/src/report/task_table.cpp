#include "report/task_table.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace greenbench {

std::string task_table_text(const std::string& task, const std::vector<RunRecord>& records,
                            const std::string& reference_method) {
  double base_flops = 0, base_wall = 0, base_latency = 0;
  // Median batch-1 latency of a point, in ms; 0 when it was not measured.
  auto latency_ms = [](const OperatingPointRecord& point) { return 1000 * point.latency_p50_seconds().value_or(0.0); };
  for (const auto& r : records) {
    if (r.method.name == reference_method) {
      const OperatingPointRecord& full = r.operating_points.back();
      base_flops = full.flops_per_instance;
      base_wall = full.ms_per_instance.value_or(0);
      base_latency = latency_ms(full);
    }
  }
  // The setting column fits its longest name ("int8 calibrated qnnpack").
  int setting_width = 14;
  for (const auto& r : records)
    for (const auto& p : r.operating_points) setting_width = std::max(setting_width, static_cast<int>(p.name.size()));
  std::ostringstream out;
  char line[320];
  const RunRecord& first = records.front();
  const std::string test_source = first.task.test && first.task.test->source ? *first.task.test->source : "?";
  std::snprintf(line, sizeof line, "\n%s (test role: %s, %.0f instances)\n", task.c_str(), test_source.c_str(),
                first.test_examples().value_or(0));
  out << line;
  std::snprintf(line, sizeof line, "%-12s %-*s %9s %9s %12s %8s %10s %8s %8s\n", "method", setting_width, "setting",
                "accuracy", "macro-F1", "MFLOPs/inst", "x FLOPs", "b1 p50 ms", "x b1", "x wall");
  out << line << std::string(static_cast<size_t>(84 + setting_width), '-') << "\n";
  // f1 < 0 or ms <= 0: not measured for this row (the oracle is an analysis, not a run).
  // "x b1": speed-up of the median batch-1 latency; "x wall": of the batched pass.
  auto row = [&](const std::string& method, const std::string& setting, double acc, double f1, double flops, double ms,
                 double b1) {
    char f1_text[16] = "-", speed_flops[16] = "-", speed_wall[16] = "-", b1_text[16] = "-", speed_b1[16] = "-";
    if (f1 >= 0) std::snprintf(f1_text, sizeof f1_text, "%.4f", f1);
    if (base_flops > 0 && flops > 0) std::snprintf(speed_flops, sizeof speed_flops, "%.2f", base_flops / flops);
    if (ms > 0 && base_wall > 0) std::snprintf(speed_wall, sizeof speed_wall, "%.2f", base_wall / ms);
    if (b1 > 0) std::snprintf(b1_text, sizeof b1_text, "%.3f", b1);
    if (b1 > 0 && base_latency > 0) std::snprintf(speed_b1, sizeof speed_b1, "%.2f", base_latency / b1);
    std::snprintf(line, sizeof line, "%-12s %-*s %9.4f %9s %12.4g %8s %10s %8s %8s\n", method.c_str(),
                  setting_width, setting.c_str(), acc, f1_text, flops / 1e6, speed_flops, b1_text, speed_b1, speed_wall);
    out << line;
  };
  for (const auto& r : records) {
    const std::string& method = r.method.name;
    const nlohmann::json config = r.method.config.value_or(nlohmann::json::object());
    for (const auto& p : r.operating_points) {
      std::string setting = p.name;
      if (method == "truncated" && config.contains("layers")) setting = "k=" + config.at("layers").dump();
      row(method, setting, p.accuracy, p.macro_f1.value_or(-1), p.flops_per_instance, p.ms_per_instance.value_or(0),
          latency_ms(p));
    }
    if (r.analysis && r.analysis->oracle) {
      const OracleRecord& o = *r.analysis->oracle;
      row(method, "oracle", o.accuracy, -1, o.flops_per_instance, 0, 0);
    }
  }
  return out.str();
}

std::string format_task_table(const std::string& task, const std::vector<nlohmann::json>& records,
                              const std::string& reference_method) {
  std::vector<RunRecord> typed;
  for (const auto& r : records) typed.push_back(RunRecord::from_json(r));
  return task_table_text(task, typed, reference_method);
}

}  // namespace greenbench
