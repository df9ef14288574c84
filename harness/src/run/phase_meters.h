// The meters the runner puts around each phase (training, each operating
// point's evaluation): time, hardware counters and energy. Built once per
// run, because probing PAPI and the energy sources is not free.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "greenbench/meter.h"
#include "measure/energy_meter.h"

namespace greenbench {

class PhaseMeters {
 public:
  explicit PhaseMeters(const EnergyMeter::Options& energy = {});
  void start();
  /// {"time": ..., "counters": ..., "energy": ...}, each from its meter's stop().
  nlohmann::json stop();
  /// Each meter's status: what it reads or why it cannot.
  nlohmann::json status() const;

 private:
  std::vector<std::unique_ptr<Meter>> meters_;
};

}  // namespace greenbench
