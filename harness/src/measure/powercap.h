// Energy from the Linux powercap sysfs tree (/sys/class/powercap): the RAPL
// zones intel-rapl:N (packages, and psys on client parts) and their subzones
// intel-rapl:N:M (core, uncore, dram). energy_uj is a wrapping counter, so a
// sampling thread reads every zone periodically and no wrap is lost in a long
// run. The root is a parameter so that tests can point it at a fake tree.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "measure/energy_source.h"

namespace greenbench {

/// One RAPL zone found under the powercap root.
struct PowercapZone {
  std::string id;          ///< folder name: "intel-rapl:0", "intel-rapl:0:1"
  std::string name;        ///< its `name` file: "package-0", "core", "dram", "psys"
  std::string dir;         ///< folder holding energy_uj
  std::string inside;      ///< for a subzone, the id of the zone it belongs to; empty for top level
  uint64_t max_energy_range_uj = 0;  ///< 0 when unreadable: a wrap then cannot be undone
  /// Top-level zones other than psys are summed; psys already includes the
  /// packages, and subzones are inside their package.
  bool counted_in_total() const { return inside.empty() && name != "psys"; }
};

/// The zones under a powercap root, and why they cannot be read when they cannot.
struct PowercapProbe {
  std::vector<PowercapZone> zones;
  std::string reason;  ///< empty when every zone's energy_uj was readable
};

/// Finds the RAPL zones under `root` (flat as in /sys/class/powercap, or
/// nested) and reads each energy_uj once to check that it can.
PowercapProbe probe_powercap(const std::string& root);

/// Energy between two readings of a counter that wraps to 0 after
/// max_energy_range_uj; nullopt when it went down and the range is unknown.
std::optional<uint64_t> energy_delta_uj(uint64_t before, uint64_t after, uint64_t max_energy_range_uj);

class PowercapEnergy : public EnergySource {
 public:
  static constexpr const char* kDefaultRoot = "/sys/class/powercap";

  explicit PowercapEnergy(std::string root = kDefaultRoot,
                          std::chrono::milliseconds sample_period = std::chrono::seconds(1));
  ~PowercapEnergy() override;
  PowercapEnergy(const PowercapEnergy&) = delete;
  PowercapEnergy& operator=(const PowercapEnergy&) = delete;

  std::string name() const override { return "powercap sysfs"; }
  MeterStatus status() const override;
  void start() override;
  EnergyReading stop() override;

  const std::vector<PowercapZone>& zones() const { return zones_; }
  /// Sampling passes completed since start(): lets a test wait for the
  /// sampler to have seen a counter value it wrote.
  uint64_t samples_taken() const { return samples_taken_.load(); }

 private:
  void sample_all_locked();  // reads every zone, adds the deltas; mutex_ held
  void sampling_loop();
  void stop_sampler();
  void warn_locked(const std::string& warning);

  std::string root_;
  std::chrono::milliseconds sample_period_;
  std::vector<PowercapZone> zones_;
  std::string reason_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool running_ = false;
  std::thread sampler_;
  std::vector<std::optional<uint64_t>> last_uj_;  // per zone; empty optional after a failed read
  std::vector<uint64_t> total_uj_;
  std::vector<std::string> warnings_;
  std::atomic<uint64_t> samples_taken_{0};
};

}  // namespace greenbench
