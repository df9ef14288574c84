#include "measure/cpu_energy_estimate.h"

#include <time.h>

#include <cerrno>
#include <cmath>
#include <fstream>
#include <sstream>

#include "greenbench/error.h"
#include "measure/sysfs_file.h"

namespace greenbench {
namespace {

std::string watts_text(double watts) {
  std::ostringstream out;
  out << watts << " W";
  return out.str();
}

void require_positive_watts(double watts, const char* what) {
  if (!std::isfinite(watts) || watts <= 0)
    throw Error(std::string(what) + " must be a positive number of watts, got " + std::to_string(watts));
}

}  // namespace

std::optional<int> cores_per_package(const std::string& cpuinfo_path, std::string* reason) {
  std::ifstream in(cpuinfo_path);
  if (!in) {
    if (reason) *reason = "cannot read " + cpuinfo_path + ": " + errno_text(errno);
    return std::nullopt;
  }
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || trim_whitespace(std::string_view(line).substr(0, colon)) != "cpu cores") continue;
    const auto cores = parse_decimal_u64(std::string_view(line).substr(colon + 1));
    if (cores && *cores > 0 && *cores < 100000) return static_cast<int>(*cores);
    if (reason) *reason = "expected a core count on the 'cpu cores' line of " + cpuinfo_path + ", found '" + line + "'";
    return std::nullopt;
  }
  if (reason) *reason = "no 'cpu cores' line in " + cpuinfo_path;
  return std::nullopt;
}

TdpPerCore resolve_tdp_per_core(std::optional<double> watts_per_core, std::optional<double> package_watts,
                                const std::string& cpuinfo_path) {
  if (watts_per_core) {
    require_positive_watts(*watts_per_core, "TDP per core");
    return {*watts_per_core, "configured: " + watts_text(*watts_per_core) + " per core"};
  }
  const std::string default_source = "default: " + watts_text(kDefaultTdpWattsPerCore) +
                                     " per core, CodeCarbon's DEFAULT_POWER_PER_CORE (codecarbon/core/cpu.py) "
                                     "for a CPU not in its TDP table (a machine does not report its TDP; configure one for a "
                                     "closer estimate)";
  if (package_watts) {
    require_positive_watts(*package_watts, "package TDP");
    std::string reason;
    const auto cores = cores_per_package(cpuinfo_path, &reason);
    if (cores)
      return {*package_watts / *cores, "configured package TDP " + watts_text(*package_watts) + " / " +
                                           std::to_string(*cores) + " cores per package (" + cpuinfo_path + ")"};
    return {kDefaultTdpWattsPerCore, default_source + " (package TDP " + watts_text(*package_watts) +
                                         " given, but cores per package unknown: " + reason + ")"};
  }
  return {kDefaultTdpWattsPerCore, default_source};
}

double process_cpu_seconds() {
  timespec now{};
  if (::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now) != 0)
    throw Error("clock_gettime(CLOCK_PROCESS_CPUTIME_ID): " + errno_text(errno));
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

nlohmann::json cpu_energy_estimate(double cpu_seconds, const TdpPerCore& tdp) {
  return {{"label", "estimate, not a measurement"},
          {"joules", cpu_seconds * tdp.watts},
          {"method", "CPU seconds x TDP per core"},
          {"cpu_seconds", cpu_seconds},
          {"tdp_watts_per_core", tdp.watts},
          {"tdp_source", tdp.source}};
}

}  // namespace greenbench
