#include "cli/bench.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "util/atomic_file.h"
#include "util/error.h"

namespace greenbench {

void apply_bench_preset(const std::string& preset, RunSettings& s) {
  s.suite = preset;
  if (preset == "quick") {
    // Sized so all five tasks fit in about 30 minutes on 2 cores (measured:
    // 1172 s): a 4 x 128 model, 3000 training examples, small batches so it
    // takes enough steps (AG News standard, 4000 examples, lr 1e-3: batch 32
    // reached 0.757, batch 16 0.804). At lr 1e-3 the 4-layer model failed to
    // learn IMDB (0.548); at 5e-4 it reaches 0.781 (AG News 0.814, SST-2
    // 0.701, SNLI 0.472).
    s.model_size = "tiny";
    s.num_layers = 4;
    s.max_len = 128;
    s.vocab_size = 8000;
    s.train.epochs = 3;
    s.train.batch_size = 16;
    s.train.learning_rate = 5e-4;
    s.roles.max_train = 3000;
    s.roles.max_calibration = 1000;
    s.roles.max_test = 1000;
  } else if (preset == "large") {
    // Every shared training example, a 4 x 256 model; hours on 2 cores.
    // Two epochs: with bf16 training a 4 x 256 model takes about 5 minutes
    // an epoch on SST-2 here, and the NLI sets are seven times larger.
    s.model_size = "mini";
    s.num_layers = 4;
    s.max_len = 256;
    s.vocab_size = 16000;
    s.train.epochs = 2;
    s.train.batch_size = 32;
    s.train.learning_rate = 5e-4;
    s.roles.max_train = 0;
    s.roles.max_calibration = 2000;
    s.roles.max_test = 0;
  } else {
    throw Error("unknown bench preset '" + preset + "'; use quick or large");
  }
}

namespace {
// The efficient baselines after standard, early exit and truncated, each
// with the settings the bench runs it at.
// Their defaults size their operating points from the backbone's depth.
std::vector<std::pair<std::string, nlohmann::json>> bench_baselines() {
  return {{"quantize", nlohmann::json::object()},
          {"distill", nlohmann::json::object()},
          {"layerdrop", nlohmann::json::object()},
          {"prune", nlohmann::json::object()},
          {"bow", nlohmann::json::object()}};
}

// A run whose record already exists (same config hash) is read back, not
// redone, so an interrupted bench resumes where it stopped. The standard
// model stays in `prepared` for the methods that build on it (quantize,
// prune, distillation); when its record is reused, its checkpoint is loaded
// if there is one, else those methods train it again inside their own runs.
nlohmann::json run_or_reuse(PreparedTask& prepared, const std::string& method, const nlohmann::json& config,
                            const RunSettings& s, const std::string& checkpoint_dir) {
  const std::string hash = run_config_hash(prepared, method, merged_method_config(method, config), s);
  const std::string path = record_path(prepared.task->name(), method, hash, s);
  const std::string checkpoint = checkpoint_dir.empty() ? "" : checkpoint_dir + "/" + prepared.task->name() + "/" + method + "-" + hash;
  const bool shared_standard = method == "standard" && config.empty();
  if (std::filesystem::exists(path)) {
    std::fprintf(stderr, "%s %s: reusing %s\n", prepared.task->name().c_str(), method.c_str(), path.c_str());
    nlohmann::json record = nlohmann::json::parse(read_file(path));
    record["path"] = path;
    if (shared_standard && !checkpoint.empty() && std::filesystem::exists(checkpoint + "/run.json"))
      prepared.standard = std::make_shared<TrainedMethod>(load_trained(checkpoint));
    return record;
  }
  auto trained = std::make_shared<TrainedMethod>(train_method(prepared, method, config, s));
  if (!checkpoint.empty()) save_trained(prepared, *trained, s, checkpoint);
  nlohmann::json record = evaluate_method(prepared, *trained, s);
  if (shared_standard) prepared.standard = trained;
  return record;
}
}  // namespace

std::vector<nlohmann::json> run_bench(const std::vector<std::string>& tasks, const RunSettings& s,
                                      const std::string& checkpoint_dir) {
  std::vector<nlohmann::json> all;
  for (const auto& name : tasks) {
    PreparedTask prepared = prepare_task(name, s);
    std::vector<nlohmann::json> records;
    // Early exit right after standard, so an interrupted bench has the pair
    // that matters most; the table lists it last.
    records.push_back(run_or_reuse(prepared, "standard", nlohmann::json::object(), s, checkpoint_dir));
    const int layers = records.back()["model"]["config"]["num_hidden_layers"].get<int>();
    nlohmann::json early_exit = run_or_reuse(prepared, "early_exit", nlohmann::json::object(), s, checkpoint_dir);
    for (int k = 1; k < layers; ++k) records.push_back(run_or_reuse(prepared, "truncated", {{"layers", k}}, s, checkpoint_dir));
    for (const auto& [baseline, config] : bench_baselines())
      records.push_back(run_or_reuse(prepared, baseline, config, s, checkpoint_dir));
    records.push_back(std::move(early_exit));
    std::printf("%s\n", format_task_table(name, records).c_str());
    std::fflush(stdout);
    all.insert(all.end(), records.begin(), records.end());
  }
  return all;
}

std::string format_task_table(const std::string& task, const std::vector<nlohmann::json>& records) {
  double base_flops = 0, base_wall = 0, base_latency = 0;
  // Median batch-1 latency of a point, in ms; 0 when it was not measured.
  auto latency_ms = [](const nlohmann::json& point) {
    const auto& l = point.value("latency_batch1", nlohmann::json(nullptr));
    return l.is_object() && l.contains("p50_seconds") ? 1000 * l["p50_seconds"].get<double>() : 0.0;
  };
  for (const auto& r : records) {
    if (r["method"]["name"] == "standard") {
      base_flops = r["operating_points"].back()["flops_per_instance"].get<double>();
      base_wall = r["operating_points"].back()["ms_per_instance"].get<double>();
      base_latency = latency_ms(r["operating_points"].back());
    }
  }
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof line, "\n%s (test role: %s, %zu instances)\n", task.c_str(),
                records.front()["task"]["roles"]["test"]["source"].get<std::string>().c_str(),
                records.front()["task"]["roles"]["test"]["examples"].get<size_t>());
  out << line;
  std::snprintf(line, sizeof line, "%-12s %-14s %9s %9s %12s %8s %10s %8s %8s\n", "method", "setting", "accuracy",
                "macro-F1", "MFLOPs/inst", "x FLOPs", "b1 p50 ms", "x b1", "x wall");
  out << line << std::string(98, '-') << "\n";
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
    std::snprintf(line, sizeof line, "%-12s %-14s %9.4f %9s %12.4g %8s %10s %8s %8s\n", method.c_str(),
                  setting.c_str(), acc, f1_text, flops / 1e6, speed_flops, b1_text, speed_b1, speed_wall);
    out << line;
  };
  for (const auto& r : records) {
    const std::string method = r["method"]["name"];
    for (const auto& p : r["operating_points"]) {
      std::string setting = p["name"];
      if (method == "truncated") setting = "k=" + std::to_string(r["method"]["config"]["layers"].get<int>());
      row(method, setting, p["accuracy"], p["macro_f1"], p["flops_per_instance"], p["ms_per_instance"], latency_ms(p));
    }
    if (r["analysis"].contains("oracle")) {
      const auto& o = r["analysis"]["oracle"];
      row(method, "oracle", o["accuracy"], -1, o["flops_per_instance"], 0, 0);
    }
  }
  return out.str();
}

}  // namespace greenbench
