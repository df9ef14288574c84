#include "measure/provenance.h"

#include <sys/utsname.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "measure/blas_info.h"
#include "measure/papi_counters.h"
#include "measure/papi_library.h"

namespace greenbench {
namespace {

// Extensions that decide which matrix kernels LibTorch and the BLAS can use.
const char* const kCpuFeatures[] = {"avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8"};

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return trim(line);
}

struct CpuInfo {
  std::string model;
  int logical = 0;
  std::set<std::string> packages;                     // "physical id" values
  std::set<std::pair<std::string, std::string>> cores;  // (physical id, core id)
  std::set<std::string> flags;
};

// /proc/cpuinfo: one "key : value" block per logical CPU.
CpuInfo read_cpuinfo(const std::string& path) {
  CpuInfo info;
  std::ifstream in(path);
  std::string line, package, fallback_model;
  bool have_flags = false;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 1));
    if (key == "processor") {
      ++info.logical;
      package.clear();
    } else if (key == "model name" && info.model.empty()) {
      info.model = value;
    } else if ((key == "Hardware" || key == "cpu model") && fallback_model.empty()) {
      fallback_model = value;  // ARM and MIPS kernels name the CPU here
    } else if (key == "physical id") {
      package = value;
      info.packages.insert(value);
    } else if (key == "core id") {
      info.cores.emplace(package, value);
    } else if ((key == "flags" || key == "Features") && !have_flags) {
      std::istringstream words(value);
      for (std::string flag; words >> flag;) info.flags.insert(flag);
      have_flags = true;
    }
  }
  if (info.model.empty()) info.model = fallback_model;
  return info;
}

// Where /proc/cpuinfo gives no topology (ARM, some VMs), sysfs may.
void read_sysfs_topology(const std::string& cpu_sysfs, CpuInfo& info) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(cpu_sysfs, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 4 || name.compare(0, 3, "cpu") != 0 || !std::isdigit(static_cast<unsigned char>(name[3]))) {
      continue;
    }
    const std::string package = read_first_line(entry.path().string() + "/topology/physical_package_id");
    const std::string core = read_first_line(entry.path().string() + "/topology/core_id");
    if (package.empty() || core.empty()) continue;
    info.packages.insert(package);
    info.cores.emplace(package, core);
  }
}

long long read_memory_total_bytes(const std::string& meminfo) {
  std::ifstream in(meminfo);
  std::string key, unit;
  long long value = 0;
  while (in >> key >> value) {
    std::getline(in, unit);
    if (key == "MemTotal:") return trim(unit) == "kB" ? value * 1024 : value;
  }
  return 0;
}

std::string unquote(const std::string& value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

// os-release(5): PRETTY_NAME, else NAME and VERSION_ID.
std::string read_os_name(const std::string& os_release) {
  std::ifstream in(os_release);
  std::map<std::string, std::string> fields;
  std::string line;
  while (std::getline(in, line)) {
    const auto equals = line.find('=');
    if (equals == std::string::npos || line[0] == '#') continue;
    fields[trim(line.substr(0, equals))] = unquote(trim(line.substr(equals + 1)));
  }
  if (!fields["PRETTY_NAME"].empty()) return fields["PRETTY_NAME"];
  return trim(fields["NAME"] + " " + fields["VERSION_ID"]);
}

std::vector<std::string> build_warnings(const BuildFacts& build) {
  std::vector<std::string> warnings;
  if (build.build_type.empty()) {
    warnings.push_back("no CMake build type was set, so the code was built without optimisation flags; timings are "
                       "not representative (configure with -DCMAKE_BUILD_TYPE=Release)");
  } else if (build.build_type != "Release") {
    warnings.push_back("built as " + build.build_type + ", not Release; timings may not be representative");
  }
  if (build.git_dirty.value_or(false)) {
    warnings.push_back("built from a checkout with uncommitted changes; the git commit alone does not reproduce it");
  } else if (!build.git_dirty.has_value() || build.git_commit.empty() || build.git_commit == "unknown") {
    warnings.push_back("the git commit of this build is unknown (not built from a git checkout)");
  }
  return warnings;
}

nlohmann::json papi_facts() {
  const PapiInit& init = papi_library();
  if (!init.ok) return {{"available", false}, {"reason", init.reason}};
  return {{"available", true}, {"version", init.version}, {"counters", CounterMeter().status().to_json()}};
}

}  // namespace

nlohmann::json provenance(const BuildFacts& build, const ProvenancePaths& paths) {
  nlohmann::json warnings = build_warnings(build);

  CpuInfo cpu = read_cpuinfo(paths.proc_root + "/cpuinfo");
  if (cpu.cores.empty()) read_sysfs_topology(paths.cpu_sysfs, cpu);
  nlohmann::json features = nlohmann::json::object();
  for (const char* feature : kCpuFeatures) features[feature] = cpu.flags.count(feature) > 0;
  nlohmann::json hardware = {{"cpu", cpu.model.empty() ? "unknown" : cpu.model}, {"cpu_features", features}};
  if (cpu.logical > 0) hardware["logical_cores"] = cpu.logical;
  if (!cpu.cores.empty()) hardware["physical_cores"] = cpu.cores.size();
  if (!cpu.packages.empty()) hardware["sockets"] = cpu.packages.size();
  if (const long long memory = read_memory_total_bytes(paths.proc_root + "/meminfo"); memory > 0) {
    hardware["memory_total_bytes"] = memory;
  }
  const std::string governor = read_first_line(paths.cpu_sysfs + "/cpu0/cpufreq/scaling_governor");
  if (!governor.empty()) {
    hardware["cpu_frequency_governor"] = governor;
    if (governor != "performance") {
      warnings.push_back("CPU frequency scaling governor is '" + governor +
                         "', not 'performance'; timings may vary with the clock");
    }
  }

  const BlasInfo blas = detect_blas();
  if (blas.core == "Prescott" && (cpu.flags.count("avx2") || cpu.flags.count("avx512f"))) {
    warnings.push_back("OpenBLAS runs its generic Prescott (SSE3) kernels on a CPU with AVX2/AVX-512; set "
                       "OPENBLAS_CORETYPE (see measure/blas_info.h)");
  }

  nlohmann::json software = {
      {"greenbench_version", build.version},
      {"git_commit", build.git_commit},
      {"git_dirty", build.git_dirty ? nlohmann::json(*build.git_dirty) : nlohmann::json(nullptr)},
      {"compiler", build.compiler},
      {"cxx_flags", trim(build.cxx_flags)},
      {"build_type", build.build_type},
      {"torch_version", build.torch_version},
      {"blas",
       {{"name", blas.name}, {"library", blas.library}, {"core", blas.core}, {"coretype_override", blas.coretype_override}}},
      {"papi", papi_facts()}};
  if (const std::string os = read_os_name(paths.os_release); !os.empty()) software["os"] = os;
  utsname names{};
  if (uname(&names) == 0) {
    software["kernel"] = std::string(names.sysname) + " " + names.release;
    software["machine"] = names.machine;
  }

  return {{"hardware", hardware}, {"software", software}, {"warnings", warnings}};
}

}  // namespace greenbench
