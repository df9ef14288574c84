// Provenance from fake /proc, /sys and os-release files (every field read and
// counted as expected), from the real machine (fields present and non-empty),
// and the warnings about builds whose timings are not representative.
#include <catch2/catch.hpp>

#include <string>

#include "measure/provenance.h"
#include "support/temp_dir.h"

using namespace greenbench;
using greenbench::testing::TempDir;
using greenbench::testing::write_file;

namespace {

BuildFacts release_build() {
  BuildFacts build;
  build.version = "0.3.0";
  build.git_commit = "0123456789abcdef0123456789abcdef01234567";
  build.git_dirty = false;
  build.compiler = "GNU 12.2.0";
  build.cxx_flags = " -O3 -DNDEBUG";
  build.build_type = "Release";
  build.torch_version = "2.3.1";
  return build;
}

// Two sockets of two cores with two hardware threads each, as x86 Linux lists them.
std::string two_socket_cpuinfo() {
  std::string text;
  int processor = 0;
  for (int socket = 0; socket < 2; ++socket) {
    for (int thread = 0; thread < 2; ++thread) {
      for (int core = 0; core < 2; ++core) {
        text += "processor\t: " + std::to_string(processor++) + "\n";
        text += "vendor_id\t: GenuineIntel\n";
        text += "model name\t: Fake Xeon(R) CPU @ 2.00GHz\n";
        text += "physical id\t: " + std::to_string(socket) + "\n";
        text += "siblings\t: 4\n";
        text += "core id\t\t: " + std::to_string(core) + "\n";
        text += "cpu cores\t: 2\n";
        text += "flags\t\t: fpu sse2 avx2 avx512f avx512_vnni amx_tile amx_bf16\n\n";
      }
    }
  }
  return text;
}

bool has_warning(const nlohmann::json& p, const std::string& words) {
  for (const auto& warning : p["warnings"]) {
    if (warning.get<std::string>().find(words) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("provenance reads the CPU, cores, sockets, memory and OS from the files it is given", "[provenance]") {
  TempDir dir("provenance");
  write_file(dir / "proc/cpuinfo", two_socket_cpuinfo());
  write_file(dir / "proc/meminfo", "MemTotal:       16384 kB\nMemFree:         1024 kB\nHugePages_Total:       0\n");
  write_file(dir / "os-release", "NAME=\"Fake Linux\"\nVERSION_ID=\"1\"\nPRETTY_NAME=\"Fake Linux 1 (test)\"\n");
  write_file(dir / "sys/cpu0/cpufreq/scaling_governor", "powersave\n");
  const nlohmann::json p = provenance(release_build(), {dir / "proc", dir / "os-release", dir / "sys"});

  const nlohmann::json& hw = p["hardware"];
  CHECK(hw["cpu"] == "Fake Xeon(R) CPU @ 2.00GHz");
  CHECK(hw["logical_cores"] == 8);
  CHECK(hw["physical_cores"] == 4);
  CHECK(hw["sockets"] == 2);
  CHECK(hw["memory_total_bytes"] == 16384LL * 1024);
  CHECK(hw["cpu_frequency_governor"] == "powersave");
  CHECK(hw["cpu_features"]["avx512f"] == true);
  CHECK(hw["cpu_features"]["amx_bf16"] == true);
  CHECK(hw["cpu_features"]["amx_tile"] == true);
  CHECK(hw["cpu_features"]["avx512_bf16"] == false);
  CHECK(hw["cpu_features"]["amx_int8"] == false);

  const nlohmann::json& sw = p["software"];
  CHECK(sw["os"] == "Fake Linux 1 (test)");
  CHECK(!sw["kernel"].get<std::string>().empty());
  CHECK(sw["greenbench_version"] == "0.3.0");
  CHECK(sw["git_commit"] == "0123456789abcdef0123456789abcdef01234567");
  CHECK(sw["git_dirty"] == false);
  CHECK(sw["compiler"] == "GNU 12.2.0");
  CHECK(sw["cxx_flags"] == "-O3 -DNDEBUG");
  CHECK(sw["build_type"] == "Release");
  CHECK(sw["torch_version"] == "2.3.1");
  CHECK(!sw["blas"]["name"].get<std::string>().empty());
  CHECK(sw["papi"].contains("available"));

  // A Release build from a clean checkout draws only the governor's warning.
  CHECK(p["warnings"].size() == 1);
  CHECK(has_warning(p, "'powersave', not 'performance'"));
  // Published records must not name the machine.
  CHECK(p.dump().find("hostname") == std::string::npos);
}

TEST_CASE("provenance takes the topology from sysfs where /proc/cpuinfo lacks it", "[provenance]") {
  TempDir dir("provenance-arm");
  std::string cpuinfo;
  for (int i = 0; i < 4; ++i) {
    cpuinfo += "processor\t: " + std::to_string(i) + "\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd bf16\n\n";
    write_file(dir / ("sys/cpu" + std::to_string(i) + "/topology/core_id"), std::to_string(i) + "\n");
    write_file(dir / ("sys/cpu" + std::to_string(i) + "/topology/physical_package_id"), "0\n");
  }
  cpuinfo += "Hardware\t: Fake ARM board\n";
  write_file(dir / "proc/cpuinfo", cpuinfo);
  write_file(dir / "sys/cpufreq/policy0/scaling_governor", "ignored: not a cpuN folder\n");
  write_file(dir / "os-release", "NAME='Fake OS'\nVERSION_ID=7\n");
  const nlohmann::json p = provenance(release_build(), {dir / "proc", dir / "os-release", dir / "sys"});
  CHECK(p["hardware"]["cpu"] == "Fake ARM board");
  CHECK(p["hardware"]["logical_cores"] == 4);
  CHECK(p["hardware"]["physical_cores"] == 4);
  CHECK(p["hardware"]["sockets"] == 1);
  CHECK(p["hardware"]["cpu_features"]["avx512f"] == false);
  CHECK(!p["hardware"].contains("memory_total_bytes"));
  CHECK(p["software"]["os"] == "Fake OS 7");  // no PRETTY_NAME: NAME and VERSION_ID
  CHECK(p["warnings"].empty());
}

TEST_CASE("provenance leaves out what it cannot read instead of writing zeros", "[provenance]") {
  TempDir dir("provenance-empty");
  const nlohmann::json p = provenance(release_build(), {dir / "no-proc", dir / "no-os-release", dir / "no-sys"});
  CHECK(p["hardware"]["cpu"] == "unknown");
  CHECK(!p["hardware"].contains("logical_cores"));
  CHECK(!p["hardware"].contains("physical_cores"));
  CHECK(!p["hardware"].contains("sockets"));
  CHECK(!p["hardware"].contains("memory_total_bytes"));
  CHECK(!p["software"].contains("os"));
  CHECK(!p["software"]["kernel"].get<std::string>().empty());  // uname needs no file
}

TEST_CASE("provenance warns about builds that are not Release or not reproducible from their commit", "[provenance]") {
  TempDir dir("provenance-warnings");
  const ProvenancePaths no_files{dir / "proc", dir / "os-release", dir / "sys"};
  BuildFacts build = release_build();
  CHECK(provenance(build, no_files)["warnings"].empty());

  build.build_type = "Debug";
  nlohmann::json p = provenance(build, no_files);
  CHECK(p["warnings"].size() == 1);
  CHECK(has_warning(p, "built as Debug, not Release"));

  build.build_type = "RelWithDebInfo";
  CHECK(has_warning(provenance(build, no_files), "built as RelWithDebInfo, not Release"));

  build.build_type = "";
  CHECK(has_warning(provenance(build, no_files), "no CMake build type was set"));

  build = release_build();
  build.git_dirty = true;
  p = provenance(build, no_files);
  CHECK(p["software"]["git_dirty"] == true);
  CHECK(has_warning(p, "uncommitted changes"));

  build.git_dirty.reset();
  build.git_commit = "unknown";
  p = provenance(build, no_files);
  CHECK(p["software"]["git_dirty"].is_null());
  CHECK(has_warning(p, "git commit of this build is unknown"));
}

TEST_CASE("provenance of the real machine has every field it promises", "[provenance]") {
  const nlohmann::json p = provenance(release_build());
  UNSCOPED_INFO(p.dump(2));
  const nlohmann::json& hw = p["hardware"];
  CHECK(!hw["cpu"].get<std::string>().empty());
  CHECK(hw["cpu"] != "unknown");
  CHECK(hw["logical_cores"].get<int>() >= 1);
  CHECK(hw["memory_total_bytes"].get<long long>() > 0);
  for (const char* feature : {"avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8"}) {
    CHECK(hw["cpu_features"][feature].is_boolean());
  }
  if (hw.contains("physical_cores")) CHECK(hw["physical_cores"].get<int>() <= hw["logical_cores"].get<int>());

  const nlohmann::json& sw = p["software"];
  CHECK(!sw["os"].get<std::string>().empty());
  CHECK(sw["kernel"].get<std::string>().rfind("Linux ", 0) == 0);
  CHECK(!sw["machine"].get<std::string>().empty());
  CHECK(!sw["blas"]["name"].get<std::string>().empty());
  const nlohmann::json& papi = sw["papi"];
  if (papi["available"] == true) {
    CHECK(!papi["version"].get<std::string>().empty());
    const nlohmann::json& counters = papi["counters"];
    if (counters["available"] == false) CHECK(!counters["reason"].get<std::string>().empty());
  } else {
    CHECK(!papi["reason"].get<std::string>().empty());
  }
  CHECK(p["warnings"].is_array());
}
