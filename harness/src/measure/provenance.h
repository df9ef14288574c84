// Where a result came from: the machine (CPU, cores, memory, the instruction
// set extensions that change the kernels run), the OS, the build, the BLAS
// actually loaded and PAPI, plus warnings about settings that make timings
// unrepresentative (as Google Benchmark warns about debug builds). The host
// name is left out on purpose: records are published.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace greenbench {

/// What built the binary. greenbench_core fills it from its compiled-in
/// build_info() (this library does not link LibTorch, so cannot read it).
struct BuildFacts {
  std::string version;
  std::string git_commit;
  std::optional<bool> git_dirty;  ///< uncommitted changes; empty when not known
  std::string compiler;
  std::string cxx_flags;
  std::string build_type;  ///< CMAKE_BUILD_TYPE; empty when none was set
  std::string torch_version;
};

/// The files provenance() reads; tests point them at fake copies.
struct ProvenancePaths {
  std::string proc_root = "/proc";                    ///< cpuinfo and meminfo
  std::string os_release = "/etc/os-release";
  std::string cpu_sysfs = "/sys/devices/system/cpu";  ///< topology and cpufreq, where /proc/cpuinfo lacks them
};

/// {"hardware": {cpu, logical_cores?, physical_cores?, sockets?,
/// memory_total_bytes?, cpu_frequency_governor?, cpu_features},
/// "software": {greenbench_version,
/// git_commit, git_dirty, compiler, cxx_flags, build_type, torch_version, os?,
/// kernel, machine, blas, papi}, "warnings": [...]}. Fields marked ? are
/// left out where the machine does not expose them; cpu is "unknown" then.
nlohmann::json provenance(const BuildFacts& build, const ProvenancePaths& paths = {});

}  // namespace greenbench
