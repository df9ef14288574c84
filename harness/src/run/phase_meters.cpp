// The list of meters around every phase, in the order they stop.
#include "run/phase_meters.h"

#include "measure/latency.h"
#include "measure/papi_counters.h"

namespace greenbench {

PhaseMeters::PhaseMeters(const EnergyMeter::Options& energy) {
  meters_.push_back(std::make_unique<TimeMeter>());  // kClock
  meters_.push_back(std::make_unique<CounterMeter>());
  meters_.push_back(std::make_unique<EnergyMeter>(energy));
}

void PhaseMeters::start() {
  // Energy first and time last, so the clock covers the least meter work.
  for (auto it = meters_.rbegin(); it != meters_.rend(); ++it) (*it)->start();
}

MeterReadings PhaseMeters::stop() {
  MeterReadings readings;
  for (auto& meter : meters_) readings[meter->name()] = meter->stop();
  return readings;
}

MeterReadings PhaseMeters::status() const {
  MeterReadings out;
  for (const auto& meter : meters_) out[meter->name()] = meter->status().to_json();
  return out;
}

}  // namespace greenbench
