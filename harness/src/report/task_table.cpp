#include "report/task_table.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace greenbench {
namespace {

using Json = nlohmann::json;

// A number the reader check lets be absent or null: `otherwise` then.
double number_or(const Json& j, const char* key, double otherwise) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : otherwise;
}

}  // namespace

std::string format_task_table(const std::string& task, const std::vector<nlohmann::json>& records) {
  double base_flops = 0, base_wall = 0, base_latency = 0;
  // Median batch-1 latency of a point, in ms; 0 when it was not measured.
  auto latency_ms = [](const nlohmann::json& point) {
    const auto& l = point.value("latency_batch1", nlohmann::json(nullptr));
    return l.is_object() && l.contains("p50_seconds") ? 1000 * l.at("p50_seconds").get<double>() : 0.0;
  };
  for (const auto& r : records) {
    if (r.at("method").at("name") == "standard") {
      const Json& full = r.at("operating_points").back();
      base_flops = full.at("flops_per_instance").get<double>();
      base_wall = number_or(full, "ms_per_instance", 0);
      base_latency = latency_ms(full);
    }
  }
  // The setting column fits its longest name ("int8 calibrated qnnpack").
  int setting_width = 14;
  for (const auto& r : records)
    for (const auto& p : r.at("operating_points"))
      setting_width = std::max(setting_width, static_cast<int>(p.at("name").get<std::string>().size()));
  std::ostringstream out;
  char line[320];
  const Json test = records.front().at("task").value("roles", Json::object()).value("test", Json::object());
  std::snprintf(line, sizeof line, "\n%s (test role: %s, %.0f instances)\n", task.c_str(),
                test.value("source", std::string("?")).c_str(), number_or(test, "examples", 0));
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
    const std::string method = r.at("method").at("name");
    const Json config = r.at("method").value("config", Json::object());
    for (const auto& p : r.at("operating_points")) {
      std::string setting = p.at("name");
      if (method == "truncated" && config.contains("layers")) setting = "k=" + config.at("layers").dump();
      row(method, setting, p.at("accuracy"), number_or(p, "macro_f1", -1), p.at("flops_per_instance"),
          number_or(p, "ms_per_instance", 0), latency_ms(p));
    }
    const Json analysis = r.value("analysis", Json::object());
    if (analysis.contains("oracle")) {
      const auto& o = analysis.at("oracle");
      row(method, "oracle", o.at("accuracy"), -1, o.at("flops_per_instance"), 0, 0);
    }
  }
  return out.str();
}

}  // namespace greenbench
