#include "measure/papi_energy.h"

#include <papi.h>

#include <cstring>
#include <stdexcept>

#include "greenbench/error.h"
#include "measure/papi_library.h"

namespace greenbench {
namespace {

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Package energy only: rapl's PACKAGE_ENERGY_CNT is raw counts, and its
// DRAM/PP0 events, like powercap's SUBZONEs, are inside or beside the package.
bool is_package_energy_event(const std::string& component, const std::string& event) {
  if (component == "rapl") return starts_with(event, "PACKAGE_ENERGY:PACKAGE");
  if (component == "powercap") return starts_with(event, "ENERGY_UJ:ZONE") && event.find("SUBZONE") == std::string::npos;
  return false;
}

// "rapl:::PACKAGE_ENERGY:PACKAGE0" -> "PACKAGE_ENERGY:PACKAGE0"
std::string without_component(const std::string& symbol) {
  const auto separator = symbol.find(":::");
  return separator == std::string::npos ? symbol : symbol.substr(separator + 3);
}

std::string papi_error(const char* call, int code) { return std::string(call) + ": " + PAPI_strerror(code); }

}  // namespace

double joules_per_energy_unit(const std::string& unit) {
  if (unit == "nJ") return 1e-9;
  if (unit == "uJ") return 1e-6;
  if (unit == "mJ") return 1e-3;
  if (unit == "J") return 1.0;
  return 0;
}

PapiEnergy::PapiEnergy(std::string component) : component_(std::move(component)), event_set_(PAPI_NULL) {
  const PapiInit& papi = papi_library();
  if (!papi.ok) {
    reason_ = "PAPI is not initialised: " + papi.reason;
    return;
  }
  const int index = PAPI_get_component_index(component_.c_str());
  if (index < 0) {
    reason_ = "PAPI " + papi.version + " has no '" + component_ + "' component (not built in; " +
              papi_error("PAPI_get_component_index", index) + ")";
    return;
  }
  const PAPI_component_info_t* info = PAPI_get_component_info(index);
  if (info == nullptr) {
    reason_ = "PAPI_get_component_info(" + std::to_string(index) + ") gave nothing for component " + component_;
    return;
  }
  // PAPI_EDELAY_INIT: the component initialises when its events are first enumerated.
  if (info->disabled != 0 && info->disabled != PAPI_EDELAY_INIT) {
    reason_ = "PAPI component " + component_ + " is disabled: " + info->disabled_reason + " (" +
              PAPI_strerror(info->disabled) + ")";
    return;
  }
  const bool found = find_events(index);
  // A delayed component has now initialised; if that failed, its own reason says more than "no events".
  if (info->disabled != 0 && info->disabled != PAPI_EDELAY_INIT) {
    reason_ = "PAPI component " + component_ + " is disabled: " + info->disabled_reason + " (" +
              PAPI_strerror(info->disabled) + ")";
    return;
  }
  if (found) build_event_set(index);
}

bool PapiEnergy::find_events(int component_index) {
  int code = PAPI_NATIVE_MASK;
  int seen = 0;
  std::string skipped_units;
  for (int rc = PAPI_enum_cmp_event(&code, PAPI_ENUM_FIRST, component_index); rc == PAPI_OK;
       rc = PAPI_enum_cmp_event(&code, PAPI_ENUM_EVENTS, component_index)) {
    ++seen;
    PAPI_event_info_t info;
    std::memset(&info, 0, sizeof info);
    if (PAPI_get_event_info(code, &info) != PAPI_OK) continue;
    const std::string symbol = info.symbol;
    if (!is_package_energy_event(component_, without_component(symbol))) continue;
    const double joules_per_unit = joules_per_energy_unit(info.units);
    if (joules_per_unit == 0) {
      skipped_units += " " + symbol + " has unit '" + std::string(info.units) + "';";
      continue;
    }
    events_.push_back(symbol);
    event_codes_.push_back(code);
    data_types_.push_back(info.data_type);
    joules_per_unit_.push_back(joules_per_unit);
  }
  if (events_.empty()) {
    reason_ = "PAPI component " + component_ + " offers no package energy event among its " + std::to_string(seen) +
              " events (looked for " + (component_ == "rapl" ? "PACKAGE_ENERGY:PACKAGEn" : "ENERGY_UJ:ZONEn") + ")" +
              (skipped_units.empty() ? "" : ";" + skipped_units + " expected nJ, uJ, mJ or J");
    return false;
  }
  return true;
}

bool PapiEnergy::build_event_set(int component_index) {
  int rc = PAPI_create_eventset(&event_set_);
  if (rc != PAPI_OK) {
    reason_ = papi_error("PAPI_create_eventset", rc);
    event_set_ = PAPI_NULL;
    return false;
  }
  rc = PAPI_assign_eventset_component(event_set_, component_index);
  if (rc != PAPI_OK) {
    reason_ = papi_error("PAPI_assign_eventset_component", rc) + " for component " + component_;
    return false;
  }
  for (size_t i = 0; i < event_codes_.size(); ++i) {
    rc = PAPI_add_event(event_set_, event_codes_[i]);
    if (rc != PAPI_OK) {
      reason_ = papi_error("PAPI_add_event", rc) + " for " + events_[i];
      return false;
    }
  }
  // A start/stop now, so that a component that cannot read (MSRs not
  // readable) is reported at probe time rather than in the middle of a run.
  rc = PAPI_start(event_set_);
  if (rc != PAPI_OK) {
    reason_ = papi_error("PAPI_start", rc) + " for the " + component_ + " package energy events";
    return false;
  }
  std::vector<long long> values(events_.size());
  rc = PAPI_stop(event_set_, values.data());
  if (rc != PAPI_OK) {
    reason_ = papi_error("PAPI_stop", rc) + " for the " + component_ + " package energy events";
    return false;
  }
  return true;
}

PapiEnergy::~PapiEnergy() {
  if (event_set_ == PAPI_NULL) return;
  if (running_) {
    std::vector<long long> values(events_.size());
    PAPI_stop(event_set_, values.data());
  }
  PAPI_cleanup_eventset(event_set_);
  PAPI_destroy_eventset(&event_set_);
}

MeterStatus PapiEnergy::status() const {
  MeterStatus status;
  status.available = reason_.empty();
  status.source = name();
  status.reason = reason_;
  return status;
}

void PapiEnergy::start() {
  if (!reason_.empty()) throw Error(name() + " cannot measure: " + reason_);
  if (running_) {
    std::vector<long long> discarded(events_.size());
    PAPI_stop(event_set_, discarded.data());  // start() again restarts
    running_ = false;
  }
  const int rc = PAPI_start(event_set_);
  if (rc != PAPI_OK) throw Error(papi_error("PAPI_start", rc) + " for " + name());
  running_ = true;
}

EnergyReading PapiEnergy::stop() {
  if (!running_) throw std::logic_error("PapiEnergy::stop() called without start()");
  running_ = false;
  std::vector<long long> values(events_.size());
  const int rc = PAPI_stop(event_set_, values.data());
  if (rc != PAPI_OK) throw Error(papi_error("PAPI_stop", rc) + " for " + name());
  EnergyReading reading;
  for (size_t i = 0; i < values.size(); ++i) {
    double amount = static_cast<double>(values[i]);
    if (data_types_[i] == PAPI_DATATYPE_FP64) std::memcpy(&amount, &values[i], sizeof amount);
    const double joules = amount * joules_per_unit_[i];
    reading.zones[events_[i]] = {{"name", without_component(events_[i])}, {"joules", joules}, {"in_total", true}};
    reading.joules += joules;
  }
  return reading;
}

}  // namespace greenbench
