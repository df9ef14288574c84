// The energy meter: reads the first energy source that works on this machine
// (powercap sysfs, PAPI rapl, PAPI powercap, perf power/energy-pkg; NVML is
// not built without CUDA) and records every source it tried with its reason.
// The powercap files come first because only that source samples during a
// phase: PAPI reads its counters at start and stop, and RAPL's 32-bit
// counter wraps about every 262 kJ (some 20 minutes of a loaded socket), so a
// long training phase could lose wraps there without a sign.
// Where none can read, the record says measured:false and carries a labelled
// CPU-time x TDP estimate instead of a zero.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "greenbench/meter.h"
#include "measure/cpu_energy_estimate.h"
#include "measure/energy_source.h"

namespace greenbench {

class EnergyMeter : public Meter {
 public:
  /// Where to look and how to estimate; the paths are parameters so that
  /// tests can point them at fake trees.
  struct Options {
    bool use_papi = true;
    std::vector<std::string> papi_components = {"rapl", "powercap"};
    std::string powercap_root = "/sys/class/powercap";
    std::string perf_pmu_dir = "/sys/bus/event_source/devices/power";
    std::string perf_paranoid_path = "/proc/sys/kernel/perf_event_paranoid";
    /// How often the powercap counters are read, so that no wrap is lost.
    std::chrono::milliseconds sample_period = std::chrono::seconds(1);
    std::optional<double> tdp_watts_per_core;  ///< for the estimate; wins over package_tdp_watts
    std::optional<double> package_tdp_watts;   ///< divided by the cores of one package
    std::string cpuinfo_path = "/proc/cpuinfo";
  };

  /// One source the meter tried, in the order tried.
  struct SourceAttempt {
    std::string source;
    bool available = false;
    std::string reason;
  };

  EnergyMeter();
  explicit EnergyMeter(Options options);
  ~EnergyMeter() override;

  std::string name() const override { return "energy"; }
  /// Available with the source in use, or not with every source's reason.
  MeterStatus status() const override { return status_; }
  void start() override;
  /// {"measured", "source", "joules", "zones", "seconds", "sources_tried"} and,
  /// when not measured, "estimate" (labelled) instead of "joules".
  nlohmann::json stop() override;

  const std::vector<SourceAttempt>& sources_tried() const { return sources_tried_; }
  /// The TDP per core the estimate uses, and where it came from.
  const TdpPerCore& tdp() const { return tdp_; }

 private:
  void try_source(std::unique_ptr<EnergySource> source);
  nlohmann::json sources_tried_json() const;

  Options options_;
  std::unique_ptr<EnergySource> source_;  // the one in use; null when none works
  std::vector<SourceAttempt> sources_tried_;
  MeterStatus status_;
  TdpPerCore tdp_;
  bool running_ = false;
  std::chrono::steady_clock::time_point start_time_;
  double start_cpu_seconds_ = 0;
  std::string source_error_;  // why the source failed during this measurement, if it did
};

}  // namespace greenbench
