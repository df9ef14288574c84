#include "measure/energy_meter.h"

#include <stdexcept>

#include "measure/papi_energy.h"
#include "measure/perf_energy.h"
#include "measure/powercap.h"

namespace greenbench {
namespace {

// RAPL counters advance about every millisecond under any load, so a source
// that reads 0 J over this long is not counting this machine's energy (a VM
// can expose a power PMU whose counter never moves).
constexpr double kStuckCounterSeconds = 0.1;

}  // namespace

EnergyMeter::EnergyMeter() : EnergyMeter(Options{}) {}

EnergyMeter::EnergyMeter(Options options) : options_(std::move(options)) {
  tdp_ = resolve_tdp_per_core(options_.tdp_watts_per_core, options_.package_tdp_watts, options_.cpuinfo_path);
  try_source(std::make_unique<PowercapEnergy>(options_.powercap_root, options_.sample_period));
  if (!source_ && options_.use_papi) {
    for (const std::string& component : options_.papi_components) {
      if (source_) break;
      try_source(std::make_unique<PapiEnergy>(component));
    }
  } else if (!source_) {
    sources_tried_.push_back({"PAPI", false, "not tried: EnergyMeter::Options::use_papi is false"});
  }
  if (!source_) try_source(std::make_unique<PerfEnergy>(options_.perf_pmu_dir, options_.perf_paranoid_path));
  if (!source_) sources_tried_.push_back({"NVML", false, "not built with CUDA"});

  if (source_) {
    status_.available = true;
    status_.source = source_->name();
  } else {
    for (const SourceAttempt& attempt : sources_tried_)
      status_.reason += (status_.reason.empty() ? "" : "; ") + attempt.source + ": " + attempt.reason;
  }
}

EnergyMeter::~EnergyMeter() = default;

void EnergyMeter::try_source(std::unique_ptr<EnergySource> source) {
  const MeterStatus status = source->status();
  sources_tried_.push_back({source->name(), status.available, status.reason});
  if (status.available) source_ = std::move(source);
}

nlohmann::json EnergyMeter::sources_tried_json() const {
  nlohmann::json tried = nlohmann::json::array();
  for (const SourceAttempt& attempt : sources_tried_) {
    nlohmann::json entry = {{"source", attempt.source}, {"available", attempt.available}};
    if (!attempt.reason.empty()) entry["reason"] = attempt.reason;
    tried.push_back(entry);
  }
  return tried;
}

void EnergyMeter::start() {
  // A source that fails mid-run must not take the run with it (the trained
  // model is not saved yet when the training phase's meters stop): the phase
  // is then reported unmeasured, with the error and the estimate.
  source_error_.clear();
  if (source_) {
    try {
      source_->start();
    } catch (const std::exception& e) {
      source_error_ = source_->name() + " failed to start: " + e.what();
    }
  }
  start_cpu_seconds_ = process_cpu_seconds();
  start_time_ = std::chrono::steady_clock::now();
  running_ = true;
}

nlohmann::json EnergyMeter::stop() {
  if (!running_) throw std::logic_error("EnergyMeter::stop() called without start()");
  running_ = false;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time_).count();
  const double cpu_seconds = process_cpu_seconds() - start_cpu_seconds_;

  nlohmann::json record = {{"seconds", seconds}, {"sources_tried", sources_tried_json()}};
  std::optional<EnergyReading> stopped;
  if (source_ && source_error_.empty()) {
    try {
      stopped = source_->stop();
    } catch (const std::exception& e) {
      source_error_ = source_->name() + " failed to stop: " + e.what();
    }
  }
  if (!source_error_.empty()) {
    record["measured"] = false;
    record["source"] = source_->name();
    record["reason"] = source_error_;
  } else if (source_) {
    const EnergyReading& reading = *stopped;
    record["source"] = source_->name();
    if (!reading.warnings.empty()) record["warnings"] = reading.warnings;
    if (reading.joules > 0 || seconds < kStuckCounterSeconds) {
      record["measured"] = true;
      record["joules"] = reading.joules;
      record["zones"] = reading.zones;
      return record;
    }
    record["measured"] = false;
    record["reason"] = source_->name() + " read 0 J over " + std::to_string(seconds) +
                       " s: its counter did not advance, so it does not count this machine's energy";
    record["zones"] = reading.zones;
  } else {
    record["measured"] = false;
    record["source"] = nullptr;
    record["reason"] = status_.reason;
  }
  record["estimate"] = cpu_energy_estimate(cpu_seconds, tdp_);
  return record;
}

}  // namespace greenbench
