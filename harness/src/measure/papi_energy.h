// Energy through one of PAPI's energy components: "rapl" (reads the RAPL
// MSRs; its PACKAGE_ENERGY:PACKAGEn events are in nJ) or "powercap" (reads
// the powercap sysfs files; ENERGY_UJ:ZONEn in uJ). A component that PAPI was
// built without, or that disabled itself, gives PAPI's own reason.
#pragma once

#include <string>
#include <vector>

#include "measure/energy_source.h"

namespace greenbench {

class PapiEnergy : public EnergySource {
 public:
  /// Finds `component`, its package energy events and checks that an event
  /// set of them starts; on failure status() says why.
  explicit PapiEnergy(std::string component);
  ~PapiEnergy() override;
  PapiEnergy(const PapiEnergy&) = delete;
  PapiEnergy& operator=(const PapiEnergy&) = delete;

  std::string name() const override { return "PAPI " + component_; }
  MeterStatus status() const override;
  void start() override;
  EnergyReading stop() override;

  /// The native events read, e.g. "rapl:::PACKAGE_ENERGY:PACKAGE0".
  const std::vector<std::string>& events() const { return events_; }

 private:
  bool find_events(int component_index);  // fills events_ and joules_per_unit_, or reason_
  bool build_event_set(int component_index);

  std::string component_;
  std::vector<std::string> events_;
  std::vector<int> event_codes_;
  std::vector<int> data_types_;
  std::vector<double> joules_per_unit_;
  int event_set_;
  std::string reason_;
  bool running_ = false;
};

/// Joules per unit for an event unit string ("nJ", "uJ", "mJ", "J"); 0 when not energy.
double joules_per_energy_unit(const std::string& unit);

}  // namespace greenbench
