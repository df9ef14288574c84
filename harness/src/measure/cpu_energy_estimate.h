// The estimate recorded when no energy counter can be read: the process's CPU
// seconds times a TDP per core. It is labelled as an estimate and names where
// its TDP came from, so that it is never mistaken for a measurement.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace greenbench {

/// CodeCarbon's power per core for a CPU that is not in its TDP table:
/// DEFAULT_POWER_PER_CORE = 4 (W) in codecarbon/core/cpu.py, used as
/// threads x 4 W. CodeCarbon's other fallback, POWER_CONSTANT = 85 W per
/// package (codecarbon/external/hardware.py), is not used by default: a VM
/// shows its vCPUs, not the package's cores, so 85 W / 2 vCPUs would charge
/// 42.5 W to each.
constexpr double kDefaultTdpWattsPerCore = 4.0;

/// A TDP per core and where it came from.
struct TdpPerCore {
  double watts = 0;
  std::string source;  ///< in words, for the record
};

/// In order: `watts_per_core` if given; else `package_watts` divided by the
/// cores of one package ("cpu cores" in cpuinfo); else kDefaultTdpWattsPerCore.
/// Throws Error for a given value that is not a positive number of watts.
TdpPerCore resolve_tdp_per_core(std::optional<double> watts_per_core, std::optional<double> package_watts,
                                const std::string& cpuinfo_path = "/proc/cpuinfo");

/// Cores in one CPU package from the first "cpu cores" line of `cpuinfo_path`;
/// nullopt, with `reason` set, when there is none.
std::optional<int> cores_per_package(const std::string& cpuinfo_path, std::string* reason);

/// CPU time used so far by the whole process, all threads, in seconds.
double process_cpu_seconds();

/// {"label": "estimate, not a measurement", "joules", "method", "cpu_seconds",
///  "tdp_watts_per_core", "tdp_source"}.
nlohmann::json cpu_energy_estimate(double cpu_seconds, const TdpPerCore& tdp);

}  // namespace greenbench
