// One way of reading the machine's energy counters (PAPI, powercap sysfs,
// perf). The energy meter tries several in order and keeps the first that
// can read; each says why it cannot, as PAPI's components do.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "greenbench/meter.h"

namespace greenbench {

/// Energy between a source's start() and stop().
struct EnergyReading {
  double joules = 0;  ///< package energy, summed over packages (subzones are inside them)
  nlohmann::json zones = nlohmann::json::object();  ///< per counter, subzones apart
  std::vector<std::string> warnings;  ///< readings that were lost or doubtful, in words
};

class EnergySource {
 public:
  virtual ~EnergySource() = default;
  /// Names the source in records: "PAPI rapl", "powercap sysfs", "perf power/energy-pkg".
  virtual std::string name() const = 0;
  /// Probed at construction: available, or the reason naming path/call and errno text.
  virtual MeterStatus status() const = 0;
  /// Takes the starting readings; calling it again restarts the measurement.
  virtual void start() = 0;
  /// Takes the final readings; only valid after start().
  virtual EnergyReading stop() = 0;
};

}  // namespace greenbench
