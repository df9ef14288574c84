// Energy from perf's RAPL PMU: the power/energy-pkg/ event, opened
// system-wide (pid -1) on one CPU per package. The kernel extends the 32-bit
// RAPL counter to 64 bits, so no wrap handling is needed here. The PMU folder
// is a parameter so that tests can parse a fake sysfs tree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "measure/energy_source.h"

namespace greenbench {

/// What perf_event_open needs for one energy event, read from the PMU's sysfs folder.
struct PerfEnergyEvent {
  uint32_t pmu_type = 0;  ///< `type`
  uint64_t config = 0;    ///< events/<event> terms placed per format/<term>
  double joules_per_count = 0;  ///< events/<event>.scale
  std::string unit;             ///< events/<event>.unit ("Joules")
  std::vector<int> cpus;        ///< `cpumask`: one CPU per package; {0} when absent
};

/// The event, or why it cannot be described.
struct PerfEventLookup {
  std::optional<PerfEnergyEvent> event;
  std::string reason;
};

/// Reads type, events/<event_name>{,.scale,.unit}, format/* and cpumask under `pmu_dir`.
PerfEventLookup find_perf_energy_event(const std::string& pmu_dir, const std::string& event_name = "energy-pkg");

class PerfEnergy : public EnergySource {
 public:
  static constexpr const char* kDefaultPmuDir = "/sys/bus/event_source/devices/power";
  static constexpr const char* kDefaultParanoidPath = "/proc/sys/kernel/perf_event_paranoid";

  /// Looks the event up and opens its counters; on failure status() says why.
  explicit PerfEnergy(std::string pmu_dir = kDefaultPmuDir, std::string paranoid_path = kDefaultParanoidPath,
                      std::string event_name = "energy-pkg");
  ~PerfEnergy() override;
  PerfEnergy(const PerfEnergy&) = delete;
  PerfEnergy& operator=(const PerfEnergy&) = delete;

  std::string name() const override { return "perf power/" + event_name_ + "/"; }
  MeterStatus status() const override;
  void start() override;
  EnergyReading stop() override;

 private:
  std::vector<uint64_t> read_counts() const;  // throws Error naming the CPU on a failed read

  std::string event_name_;
  PerfEnergyEvent event_;
  std::vector<int> fds_;  // one per CPU of event_.cpus
  std::string reason_;
  std::vector<uint64_t> start_counts_;
  bool running_ = false;
};

}  // namespace greenbench
