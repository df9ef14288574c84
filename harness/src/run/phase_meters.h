// The meters the runner puts around each phase (training, calibration, each
// operating point's evaluation), in one list (the constructor): adding a
// meter is its class and one line there. Every reading is recorded under its
// meter's name (record/run_record.h's MeterReadings), every status under its
// name in efficiency.meters. Built once per run, because probing PAPI and the
// energy sources is not free.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "greenbench/meter.h"
#include "measure/energy_meter.h"
#include "record/run_record.h"

namespace greenbench {

class PhaseMeters {
 public:
  /// The meter that is a phase's clock: an operating point records its
  /// reading as the point's own wall_seconds and cpu_seconds.
  static constexpr const char* kClock = "time";

  explicit PhaseMeters(const EnergyMeter::Options& energy = {});
  void start();
  /// Each meter's stop(), under its name: {"time": ..., "counters": ..., "energy": ...}.
  MeterReadings stop();
  /// Each meter's status, under its name: what it reads or why it cannot.
  MeterReadings status() const;

 private:
  std::vector<std::unique_ptr<Meter>> meters_;
};

}  // namespace greenbench
