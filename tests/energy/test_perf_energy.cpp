// perf's power/energy-pkg/ event: parsing a fake PMU folder, and the reasons
// given when the PMU, the event or perf_event_open fails.
#include <catch2/catch.hpp>
#include <filesystem>

#include "measure/perf_energy.h"
#include "support/temp_dir.h"

using namespace greenbench;
using greenbench::testing::TempDir;
using greenbench::testing::write_file;

namespace {

// A power PMU folder as the kernel's RAPL perf driver writes it.
std::string write_power_pmu(const TempDir& tmp, const std::string& type = "9") {
  const std::string pmu = tmp / "power";
  write_file(pmu + "/type", type + "\n");
  write_file(pmu + "/cpumask", "0,28\n");
  write_file(pmu + "/format/event", "config:0-7\n");
  write_file(pmu + "/events/energy-pkg", "event=0x02\n");
  write_file(pmu + "/events/energy-pkg.scale", "2.3283064365386962890625e-10\n");
  write_file(pmu + "/events/energy-pkg.unit", "Joules\n");
  write_file(pmu + "/events/energy-psys", "event=0x05\n");
  return pmu;
}

}  // namespace

TEST_CASE("perf energy: type, event, scale, unit and cpumask are parsed", "[energy][perf]") {
  TempDir tmp("perf");
  const std::string pmu = write_power_pmu(tmp);
  const PerfEventLookup lookup = find_perf_energy_event(pmu);
  INFO(lookup.reason);
  REQUIRE(lookup.event.has_value());
  CHECK(lookup.event->pmu_type == 9u);
  CHECK(lookup.event->config == 0x02u);
  CHECK(lookup.event->joules_per_count == 2.3283064365386962890625e-10);  // 2^-32 J, exact in a double
  CHECK(lookup.event->unit == "Joules");
  CHECK(lookup.event->cpus == std::vector<int>{0, 28});
}

TEST_CASE("perf energy: terms are placed in config where format/ says", "[energy][perf]") {
  TempDir tmp("perf");
  const std::string pmu = write_power_pmu(tmp);
  write_file(pmu + "/format/event", "config:8-15\n");
  write_file(pmu + "/format/umask", "config:0-3\n");
  write_file(pmu + "/events/energy-pkg", "event=0x02,umask=3\n");
  write_file(pmu + "/cpumask", "0-1\n");
  const PerfEventLookup lookup = find_perf_energy_event(pmu);
  INFO(lookup.reason);
  REQUIRE(lookup.event.has_value());
  CHECK(lookup.event->config == 0x203u);
  CHECK(lookup.event->cpus == std::vector<int>{0, 1});

  write_file(pmu + "/events/energy-pkg", "event=0x1ff\n");
  CHECK(find_perf_energy_event(pmu).reason ==
        "value 0x1ff of term event in " + pmu + "/events/energy-pkg does not fit 8 bits");
}

TEST_CASE("perf energy: reasons name the missing or malformed file", "[energy][perf]") {
  TempDir tmp("perf");
  SECTION("no PMU folder") {
    const std::string pmu = tmp / "no-power";
    const PerfEventLookup lookup = find_perf_energy_event(pmu);
    CHECK_FALSE(lookup.event.has_value());
    CHECK_THAT(lookup.reason, Catch::StartsWith("no perf power PMU at " + pmu + ": No such file or directory"));
  }
  SECTION("no energy-pkg event: the reason lists what the PMU offers") {
    const std::string pmu = write_power_pmu(tmp);
    std::filesystem::remove(pmu + "/events/energy-pkg");
    const PerfEventLookup lookup = find_perf_energy_event(pmu);
    CHECK(lookup.reason == "no perf event energy-pkg: cannot read " + pmu +
                               "/events/energy-pkg: No such file or directory; the PMU offers energy-psys");
  }
  SECTION("scale is not a number") {
    const std::string pmu = write_power_pmu(tmp);
    write_file(pmu + "/events/energy-pkg.scale", "abc\n");
    CHECK(find_perf_energy_event(pmu).reason ==
          "expected a positive number in " + pmu + "/events/energy-pkg.scale, found 'abc'");
  }
  SECTION("unit is not Joules") {
    const std::string pmu = write_power_pmu(tmp);
    write_file(pmu + "/events/energy-pkg.unit", "Watts\n");
    CHECK(find_perf_energy_event(pmu).reason ==
          "expected unit Joules in " + pmu + "/events/energy-pkg.unit, found 'Watts'");
  }
  SECTION("type is not a number") {
    const std::string pmu = write_power_pmu(tmp, "power");
    CHECK(find_perf_energy_event(pmu).reason == "expected a PMU type number in " + pmu + "/type, found 'power'");
  }
  SECTION("event holds no term") {
    const std::string pmu = write_power_pmu(tmp);
    write_file(pmu + "/events/energy-pkg", "=2\n");
    CHECK(find_perf_energy_event(pmu).reason ==
          "expected terms such as event=0x02 in " + pmu + "/events/energy-pkg, found '=2'");
  }
}

TEST_CASE("perf energy: a failing perf_event_open gives errno and perf_event_paranoid", "[energy][perf]") {
  TempDir tmp("perf");
  // No PMU has this type number, so perf_event_open fails on any kernel.
  const std::string pmu = write_power_pmu(tmp, "2147483647");
  write_file(pmu + "/cpumask", "0\n");
  const std::string paranoid = tmp / "perf_event_paranoid";
  write_file(paranoid, "2\n");
  PerfEnergy source(pmu, paranoid);
  const MeterStatus status = source.status();
  CHECK_FALSE(status.available);
  CHECK(status.source == "perf power/energy-pkg/");
  CHECK_THAT(status.reason,
             Catch::StartsWith("perf_event_open(perf power/energy-pkg/: type 2147483647, config 0x2, cpu 0, pid -1): "));
  CHECK_THAT(status.reason, Catch::Contains(paranoid + " is 2 (system-wide events need a value <= 0"));
  CHECK_THROWS(source.start());

  write_file(pmu + "/type", "2147483647\n");
  PerfEnergy without_paranoid(pmu, tmp / "missing-paranoid");
  CHECK_THAT(without_paranoid.status().reason,
             Catch::EndsWith("cannot read " + (tmp / "missing-paranoid") + ": No such file or directory"));
}
