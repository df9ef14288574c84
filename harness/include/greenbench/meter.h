// The meter interface: one small contract for everything the harness
// measures around a phase (time, hardware counters, energy). A meter says
// whether it can measure on this machine and, when not, why, as PAPI's
// components do; the record carries that reason instead of a silent zero.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace greenbench {

struct MeterStatus {
  bool available = false;
  std::string source;  ///< what it reads when available ("powercap sysfs", "PAPI rapl", ...)
  std::string reason;  ///< why it cannot measure, when not available
  nlohmann::json to_json() const {
    nlohmann::json j = {{"available", available}};
    if (!source.empty()) j["source"] = source;
    if (!reason.empty()) j["reason"] = reason;
    return j;
  }
};

class Meter {
 public:
  virtual ~Meter() = default;
  /// Short stable name used as the record key ("time", "counters", "energy").
  virtual std::string name() const = 0;
  /// Probed once at construction; cheap to call.
  virtual MeterStatus status() const = 0;
  /// Begins a measurement. Calling start() again restarts it.
  virtual void start() = 0;
  /// Ends the measurement begun by start() and returns its readings. An
  /// unavailable meter returns its status (and any labelled estimate), never zeros.
  virtual nlohmann::json stop() = 0;
};

}  // namespace greenbench
