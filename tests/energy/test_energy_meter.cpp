// The energy meter: source order, the record when nothing can be read (a
// labelled estimate, never a zero), the TDP used by the estimate, and PAPI's
// reasons for its energy components.
#include <catch2/catch.hpp>
#include <cmath>
#include <thread>

#include "energy/fake_sysfs.h"
#include "measure/energy_meter.h"
#include "measure/papi_energy.h"

using namespace greenbench;
using greenbench::testing::set_counter;
using greenbench::testing::TempDir;
using greenbench::testing::write_file;
using greenbench::testing::write_zone;

namespace {

// Uses CPU until the process clock has advanced by `cpu_seconds`, so the
// estimate has CPU time to price. Nothing about its duration is asserted.
void burn_cpu(double cpu_seconds) {
  const double until = process_cpu_seconds() + cpu_seconds;
  volatile double sink = 0;
  while (process_cpu_seconds() < until)
    for (int i = 0; i < 10000; ++i) sink = sink + std::sqrt(static_cast<double>(i));
}

// A machine where nothing can be read: an empty powercap folder, no power
// PMU, and a PAPI component that does not exist.
EnergyMeter::Options nothing_readable(const TempDir& tmp) {
  EnergyMeter::Options options;
  options.papi_components = {"greenbench-test-no-such-component"};
  options.powercap_root = tmp / "powercap";
  write_file(tmp / "powercap/.keep", "");
  options.perf_pmu_dir = tmp / "no-power-pmu";
  options.perf_paranoid_path = tmp / "perf_event_paranoid";
  return options;
}

}  // namespace

TEST_CASE("energy meter: nothing readable gives measured:false, every reason and a labelled estimate",
          "[energy][meter]") {
  TempDir tmp("energy-meter");
  EnergyMeter::Options options = nothing_readable(tmp);
  options.tdp_watts_per_core = 10.0;
  EnergyMeter meter(options);
  CHECK(meter.name() == "energy");

  const MeterStatus status = meter.status();
  CHECK_FALSE(status.available);
  CHECK_THAT(status.reason, Catch::Contains("PAPI greenbench-test-no-such-component: PAPI "));
  CHECK_THAT(status.reason, Catch::Contains("powercap sysfs: no RAPL zone (intel-rapl:N) under " + options.powercap_root));
  CHECK_THAT(status.reason, Catch::Contains("perf power/energy-pkg/: no perf power PMU at " + options.perf_pmu_dir));
  CHECK_THAT(status.reason, Catch::EndsWith("NVML: not built with CUDA"));

  meter.start();
  burn_cpu(0.05);
  const nlohmann::json record = meter.stop();
  INFO(record.dump(2));
  CHECK(record["measured"] == false);
  CHECK(record["source"].is_null());
  CHECK_FALSE(record.contains("joules"));  // no zero that could be read as a measurement
  CHECK(record["reason"] == status.reason);
  CHECK(record["seconds"].get<double>() > 0);

  const nlohmann::json& tried = record["sources_tried"];
  REQUIRE(tried.size() == 4);
  CHECK(tried[0]["source"] == "powercap sysfs");  // first: the only source that samples during a phase
  CHECK(tried[1]["source"] == "PAPI greenbench-test-no-such-component");
  CHECK_THAT(tried[1]["reason"].get<std::string>(), Catch::Contains("has no 'greenbench-test-no-such-component' component"));
  CHECK(tried[2]["source"] == "perf power/energy-pkg/");
  CHECK(tried[3] == nlohmann::json({{"source", "NVML"}, {"available", false}, {"reason", "not built with CUDA"}}));
  for (const auto& source : tried) {
    CHECK(source["available"] == false);
    CHECK_FALSE(source["reason"].get<std::string>().empty());
  }

  const nlohmann::json& estimate = record["estimate"];
  CHECK(estimate["label"] == "estimate, not a measurement");
  CHECK(estimate["method"] == "CPU seconds x TDP per core");
  CHECK(estimate["tdp_watts_per_core"] == 10.0);
  CHECK(estimate["tdp_source"] == "configured: 10 W per core");
  const double cpu_seconds = estimate["cpu_seconds"].get<double>();
  CHECK(cpu_seconds >= 0.05);
  CHECK(estimate["joules"].get<double>() == Approx(cpu_seconds * 10.0));
  CHECK_THROWS_AS(meter.stop(), std::logic_error);
}

TEST_CASE("energy meter: falls through to powercap sysfs and measures it", "[energy][meter]") {
  TempDir tmp("energy-meter");
  EnergyMeter::Options options = nothing_readable(tmp);
  options.use_papi = false;
  const std::string pkg = write_zone(options.powercap_root, "intel-rapl:0", "package-0", 1'000'000, 1'000'000'000);
  options.sample_period = std::chrono::milliseconds(5);
  EnergyMeter meter(options);
  REQUIRE(meter.status().available);
  CHECK(meter.status().source == "powercap sysfs");

  meter.start();
  set_counter(pkg, 4'250'000);
  const nlohmann::json record = meter.stop();
  INFO(record.dump(2));
  CHECK(record["measured"] == true);
  CHECK(record["source"] == "powercap sysfs");
  CHECK(record["joules"] == 3.25);
  CHECK(record["zones"]["intel-rapl:0"]["joules"] == 3.25);
  CHECK_FALSE(record.contains("estimate"));
  REQUIRE(record["sources_tried"].size() == 1);  // powercap works, so nothing after it is tried
  CHECK(record["sources_tried"][0] == nlohmann::json({{"source", "powercap sysfs"}, {"available", true}}));
}

TEST_CASE("energy meter: a counter that never moves is not taken as a measurement", "[energy][meter]") {
  TempDir tmp("energy-meter");
  EnergyMeter::Options options = nothing_readable(tmp);
  options.use_papi = false;
  write_zone(options.powercap_root, "intel-rapl:0", "package-0", 777, 1'000'000'000);
  EnergyMeter meter(options);
  REQUIRE(meter.status().available);
  meter.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // longer than the stuck-counter threshold
  const nlohmann::json record = meter.stop();
  INFO(record.dump(2));
  CHECK(record["measured"] == false);
  CHECK(record["source"] == "powercap sysfs");
  CHECK_THAT(record["reason"].get<std::string>(), Catch::Contains("its counter did not advance"));
  CHECK(record["estimate"]["label"] == "estimate, not a measurement");
}

TEST_CASE("estimate TDP: configured per core, package / cores, or CodeCarbon's default", "[energy][tdp]") {
  TempDir tmp("tdp");
  const std::string cpuinfo = tmp / "cpuinfo";
  write_file(cpuinfo, "processor\t: 0\nmodel name\t: Test CPU\ncpu cores\t: 8\n\nprocessor\t: 1\ncpu cores\t: 8\n");

  const TdpPerCore per_core = resolve_tdp_per_core(6.5, 85.0, cpuinfo);
  CHECK(per_core.watts == 6.5);
  CHECK(per_core.source == "configured: 6.5 W per core");

  const TdpPerCore from_package = resolve_tdp_per_core(std::nullopt, 85.0, cpuinfo);
  CHECK(from_package.watts == 85.0 / 8);
  CHECK(from_package.source == "configured package TDP 85 W / 8 cores per package (" + cpuinfo + ")");

  const TdpPerCore fallback = resolve_tdp_per_core(std::nullopt, std::nullopt, cpuinfo);
  CHECK(fallback.watts == kDefaultTdpWattsPerCore);
  CHECK(fallback.watts == 4.0);
  CHECK_THAT(fallback.source, Catch::Contains("CodeCarbon's DEFAULT_POWER_PER_CORE"));

  const TdpPerCore no_cores = resolve_tdp_per_core(std::nullopt, 85.0, tmp / "missing-cpuinfo");
  CHECK(no_cores.watts == 4.0);
  CHECK_THAT(no_cores.source, Catch::Contains("cores per package unknown: cannot read " + (tmp / "missing-cpuinfo")));

  CHECK_THROWS_WITH(resolve_tdp_per_core(-1.0, std::nullopt, cpuinfo), Catch::Contains("positive number of watts"));
  CHECK_THROWS(resolve_tdp_per_core(std::nullopt, 0.0, cpuinfo));

  TempDir machine("energy-meter");
  EnergyMeter meter(nothing_readable(machine));
  CHECK(meter.tdp().watts == 4.0);
}

TEST_CASE("PAPI energy: a component PAPI lacks, and the real rapl/powercap components, give reasons",
          "[energy][papi]") {
  PapiEnergy absent("greenbench-test-no-such-component");
  CHECK_FALSE(absent.status().available);
  CHECK_THAT(absent.status().reason,
             Catch::Contains("has no 'greenbench-test-no-such-component' component (not built in; "
                             "PAPI_get_component_index: "));

  for (const char* component : {"rapl", "powercap"}) {
    PapiEnergy papi(component);
    const MeterStatus status = papi.status();
    INFO(component << ": " << status.to_json().dump());
    CHECK(status.source == std::string("PAPI ") + component);
    if (status.available) {
      CHECK_FALSE(papi.events().empty());
    } else {
      CHECK_THAT(status.reason, Catch::Contains(component));
    }
  }
  CHECK(joules_per_energy_unit("nJ") == 1e-9);
  CHECK(joules_per_energy_unit("uJ") == 1e-6);
  CHECK(joules_per_energy_unit("W") == 0);
}

TEST_CASE("energy meter on this machine: measured, or every reason and an estimate", "[energy][meter]") {
  EnergyMeter meter;
  INFO(meter.status().to_json().dump());
  meter.start();
  burn_cpu(0.05);
  const nlohmann::json record = meter.stop();
  INFO(record.dump(2));
  REQUIRE(record.contains("measured"));
  if (record["measured"] == true) {
    CHECK(record["joules"].get<double>() > 0);
  } else {
    CHECK(record["estimate"]["joules"].get<double>() > 0);
    for (const auto& source : record["sources_tried"])
      if (source["available"] == false) CHECK_FALSE(source["reason"].get<std::string>().empty());
  }
}
