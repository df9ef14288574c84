#include "cli/env_command.h"

#include <torch/torch.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "greenbench/bert/precision.h"
#include "measure/energy_meter.h"
#include "measure/papi_counters.h"
#include "measure/provenance.h"
#include "run/build_info.h"

namespace greenbench {
namespace {

std::string text(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return "-";
  return j.at(key).is_string() ? j.at(key).get<std::string>() : j.at(key).dump();
}

nlohmann::json measuring_capabilities() {
  EnergyMeter energy;
  CounterMeter counters;
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& attempt : energy.sources_tried()) {
    sources.push_back({{"source", attempt.source}, {"available", attempt.available}, {"reason", attempt.reason}});
  }
  const Precision training = resolve_precision("auto");
  return {{"energy", energy.status().to_json()},
          {"energy_sources", sources},
          {"energy_estimate_tdp", {{"watts_per_core", energy.tdp().watts}, {"source", energy.tdp().source}}},
          {"counters", counters.status().to_json()},
          {"training_precision_auto",
           {{"precision", to_string(training)},
            {"why", training == Precision::bf16 ? "the CPU has AMX-BF16 or AVX512-BF16"
                                                : "the CPU has neither AMX-BF16 nor AVX512-BF16"}}},
          {"threads", {{"torch_intra_op", torch::get_num_threads()}, {"budget", thread_budget()}}}};
}

}  // namespace

int print_env(bool json) {
  nlohmann::json report = provenance(build_facts());
  report["can_measure"] = measuring_capabilities();
  if (json) {
    std::printf("%s\n", report.dump(2).c_str());
    return 0;
  }
  const auto& hw = report["hardware"];
  const auto& sw = report["software"];
  std::printf("machine   %s, %s logical / %s physical cores, %s sockets, %s bytes of memory\n", text(hw, "cpu").c_str(),
              text(hw, "logical_cores").c_str(), text(hw, "physical_cores").c_str(), text(hw, "sockets").c_str(),
              text(hw, "memory_total_bytes").c_str());
  std::printf("system    %s, kernel %s\n", text(sw, "os").c_str(), text(sw, "kernel").c_str());
  std::printf("build     greenbench %s, commit %s (dirty: %s), %s build, %s\n", text(sw, "greenbench_version").c_str(),
              text(sw, "git_commit").c_str(), text(sw, "git_dirty").c_str(), text(sw, "build_type").c_str(),
              text(sw, "compiler").c_str());
  std::printf("LibTorch  %s\n", text(sw, "torch_version").c_str());
  if (sw.contains("blas")) {
    const auto& blas = sw["blas"];
    std::printf("BLAS      %s (%s), kernels %s\n", text(blas, "name").c_str(), text(blas, "library").c_str(),
                text(blas, "core").c_str());
  }
  const auto& can = report["can_measure"];
  std::printf("\nwhat this machine can measure:\n");
  std::printf("  time      yes (steady clock, process CPU time)\n");
  const auto& counters = can["counters"];
  std::printf("  counters  %s\n", counters["available"].get<bool>() ? ("yes: " + text(counters, "source")).c_str()
                                                                     : ("no: " + text(counters, "reason")).c_str());
  const auto& energy = can["energy"];
  std::printf("  energy    %s\n", energy["available"].get<bool>() ? ("yes: " + text(energy, "source")).c_str()
                                                                   : "no; records carry a labelled estimate instead");
  for (const auto& s : can["energy_sources"]) {
    std::printf("            %-24s %s\n", s["source"].get<std::string>().c_str(),
                s["available"].get<bool>() ? "available" : s["reason"].get<std::string>().c_str());
  }
  std::printf("  estimate  %s W per core (%s)\n", text(can["energy_estimate_tdp"], "watts_per_core").c_str(),
              text(can["energy_estimate_tdp"], "source").c_str());
  std::printf("  training  --precision auto trains in %s: %s\n",
              text(can["training_precision_auto"], "precision").c_str(),
              text(can["training_precision_auto"], "why").c_str());
  for (const auto& w : report["warnings"]) std::printf("warning: %s\n", w.get<std::string>().c_str());
  return 0;
}

namespace {

class EnvCommand : public CommandGroup {
 public:
  explicit EnvCommand(CLI::App& app) {
    env_ = app.add_subcommand(
        "env", "show the machine, build, LibTorch and BLAS a record would carry, and what can be measured here and why not");
    env_->add_flag("--json", json_, "print one JSON object");
  }
  bool parsed() const override { return env_->parsed(); }
  int run(const std::vector<std::string>&) override { return print_env(json_); }

 private:
  CLI::App* env_ = nullptr;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<CommandGroup> add_env_command(CLI::App& app) { return std::make_unique<EnvCommand>(app); }

}  // namespace greenbench
