// The powercap sysfs source on fake trees: exact joules, wrap-around,
// subzones kept apart, the sampler catching wraps, and the reasons given
// when nothing can be read.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "energy/fake_sysfs.h"
#include "measure/powercap.h"

using namespace greenbench;
using greenbench::testing::set_counter;
using greenbench::testing::TempDir;
using greenbench::testing::write_file;
using greenbench::testing::write_zone;

namespace {

// Waits until the sampler has completed a pass that began after this call,
// so it has read every counter value written before it. The deadline only
// stops a broken sampler from hanging the test; no duration is asserted.
void wait_for_fresh_sample(const PowercapEnergy& source) {
  const uint64_t seen = source.samples_taken();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (source.samples_taken() < seen + 2) {
    if (std::chrono::steady_clock::now() > give_up) FAIL("the sampling thread took no sample within 60 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

const auto kNoSampling = std::chrono::hours(1);  // only start() and stop() read

}  // namespace

TEST_CASE("energy_delta_uj: plain increase, one wrap, unknown range", "[energy][powercap]") {
  CHECK(energy_delta_uj(100, 250, 1000) == 150u);
  CHECK(energy_delta_uj(7, 7, 1000) == 0u);
  CHECK(energy_delta_uj(900, 100, 1000) == 200u);  // (1000 - 900) + 100
  CHECK_FALSE(energy_delta_uj(900, 100, 0).has_value());
  CHECK_FALSE(energy_delta_uj(1200, 100, 1000).has_value());  // before above the range: not a wrap we can undo
}

TEST_CASE("powercap: package joules are exact and subzones and psys are not added", "[energy][powercap]") {
  TempDir tmp("powercap");
  const std::string root = tmp / "powercap";
  const uint64_t max = 262143328850;
  const std::string pkg0 = write_zone(root, "intel-rapl:0", "package-0", 1'000'000, max);
  const std::string core0 = write_zone(root, "intel-rapl:0:0", "core", 500'000, max);
  const std::string dram0 = write_zone(root, "intel-rapl:0:1", "dram", 0, max);
  const std::string pkg1 = write_zone(root, "intel-rapl:1", "package-1", 0, max);
  const std::string psys = write_zone(root, "intel-rapl:2", "psys", 10'000'000, max);
  write_zone(root, "intel-rapl-mmio:0", "package-0", 0, max);  // same package through MMIO: ignored

  PowercapEnergy source(root, kNoSampling);
  REQUIRE(source.status().available);
  REQUIRE(source.zones().size() == 5);
  source.start();
  set_counter(pkg0, 3'500'000);   // +2.5 J
  set_counter(core0, 1'700'000);  // +1.2 J, inside package 0
  set_counter(dram0, 250'000);    // +0.25 J, inside package 0
  set_counter(pkg1, 1'250'000);   // +1.25 J
  set_counter(psys, 20'000'000);  // +10 J, includes the packages
  EnergyReading reading = source.stop();

  CHECK(reading.joules == 3.75);
  CHECK(reading.warnings.empty());
  CHECK(reading.zones["intel-rapl:0"]["joules"] == 2.5);
  CHECK(reading.zones["intel-rapl:0"]["in_total"] == true);
  CHECK(reading.zones["intel-rapl:0:0"]["name"] == "core");
  CHECK(reading.zones["intel-rapl:0:0"]["joules"] == 1.2);
  CHECK(reading.zones["intel-rapl:0:0"]["in_total"] == false);
  CHECK(reading.zones["intel-rapl:0:0"]["inside"] == "intel-rapl:0");
  CHECK(reading.zones["intel-rapl:0:1"]["joules"] == 0.25);
  CHECK(reading.zones["intel-rapl:1"]["joules"] == 1.25);
  CHECK(reading.zones["intel-rapl:2"]["joules"] == 10.0);
  CHECK(reading.zones["intel-rapl:2"]["in_total"] == false);
  CHECK_FALSE(reading.zones.contains("intel-rapl-mmio:0"));
}

TEST_CASE("powercap: subzones nested inside their package folder are found", "[energy][powercap]") {
  TempDir tmp("powercap");
  const std::string root = tmp / "powercap";
  const std::string pkg = write_zone(root, "intel-rapl:0", "package-0", 0, 1'000'000'000);
  const std::string core = write_zone(pkg, "intel-rapl:0:0", "core", 0, 1'000'000'000);
  PowercapEnergy source(root, kNoSampling);
  REQUIRE(source.status().available);
  REQUIRE(source.zones().size() == 2);
  CHECK(source.zones()[1].inside == "intel-rapl:0");
  source.start();
  set_counter(pkg, 2'000'000);
  set_counter(core, 1'000'000);
  EnergyReading reading = source.stop();
  CHECK(reading.joules == 2.0);
  CHECK(reading.zones["intel-rapl:0:0"]["joules"] == 1.0);
}

TEST_CASE("powercap: a counter that wraps through max_energy_range_uj", "[energy][powercap]") {
  TempDir tmp("powercap");
  const std::string root = tmp / "powercap";
  const std::string pkg = write_zone(root, "intel-rapl:0", "package-0", 9'000'000, 10'000'000);
  PowercapEnergy source(root, kNoSampling);
  REQUIRE(source.status().available);
  source.start();
  set_counter(pkg, 500'000);
  EnergyReading reading = source.stop();
  CHECK(reading.joules == 1.5);  // (10 - 9) J to the wrap, then 0.5 J
  CHECK(reading.warnings.empty());
}

TEST_CASE("powercap: a counter that goes down with no known range is reported, not guessed", "[energy][powercap]") {
  TempDir tmp("powercap");
  const std::string root = tmp / "powercap";
  const std::string pkg = write_zone(root, "intel-rapl:0", "package-0", 900, 0);  // no max_energy_range_uj file
  PowercapEnergy source(root, kNoSampling);
  REQUIRE(source.status().available);
  source.start();
  set_counter(pkg, 100);
  EnergyReading reading = source.stop();
  CHECK(reading.joules == 0);
  REQUIRE(reading.warnings.size() == 1);
  CHECK_THAT(reading.warnings[0], Catch::Contains(pkg + "/energy_uj went down from 900 to 100"));
}

TEST_CASE("powercap: the sampling thread catches two wraps between start and stop", "[energy][powercap]") {
  TempDir tmp("powercap");
  const std::string root = tmp / "powercap";
  const std::string pkg = write_zone(root, "intel-rapl:0", "package-0", 800'000, 1'000'000);
  PowercapEnergy source(root, std::chrono::milliseconds(1));
  REQUIRE(source.status().available);
  source.start();
  set_counter(pkg, 100'000);  // wrap: +200'000 to the top, +100'000 after
  wait_for_fresh_sample(source);
  set_counter(pkg, 600'000);  // +500'000
  wait_for_fresh_sample(source);
  set_counter(pkg, 200'000);  // wrap: +400'000 to the top, +200'000 after
  wait_for_fresh_sample(source);
  EnergyReading reading = source.stop();
  // Reading only at start and stop would see one wrap: (1 - 0.8) + 0.2 = 0.4 J.
  CHECK(reading.joules == 1.4);
  CHECK(reading.warnings.empty());
}

TEST_CASE("powercap: start() again restarts the measurement", "[energy][powercap]") {
  TempDir tmp("powercap");
  const std::string root = tmp / "powercap";
  const std::string pkg = write_zone(root, "intel-rapl:0", "package-0", 0, 1'000'000'000);
  PowercapEnergy source(root, std::chrono::milliseconds(1));
  source.start();
  set_counter(pkg, 5'000'000);
  source.start();
  set_counter(pkg, 6'000'000);
  CHECK(source.stop().joules == 1.0);
  CHECK_THROWS_AS(source.stop(), std::logic_error);
}

TEST_CASE("powercap: no powercap folder names the path and errno", "[energy][powercap]") {
  TempDir tmp("powercap");
  const std::string root = tmp / "no-such-powercap";
  PowercapEnergy source(root);
  const MeterStatus status = source.status();
  CHECK_FALSE(status.available);
  CHECK(status.reason == "no powercap sysfs at " + root + ": No such file or directory");
  CHECK_THROWS(source.start());
}

TEST_CASE("powercap: a powercap folder without RAPL zones says what it holds", "[energy][powercap]") {
  TempDir tmp("powercap");
  const std::string root = tmp / "powercap";
  write_zone(root, "intel-rapl-mmio:0", "package-0", 0, 1000);
  write_file(root + "/dtpm/name", "dtpm\n");
  const MeterStatus status = PowercapEnergy(root).status();
  CHECK_FALSE(status.available);
  CHECK_THAT(status.reason, Catch::StartsWith("no RAPL zone (intel-rapl:N) under " + root + "; it holds: "));
  CHECK_THAT(status.reason, Catch::Contains("intel-rapl-mmio:0"));
  CHECK_THAT(status.reason, Catch::Contains("dtpm"));

  TempDir empty("powercap");
  CHECK_THAT(PowercapEnergy(empty.path()).status().reason, Catch::EndsWith("it holds: nothing"));
}

TEST_CASE("powercap: an unreadable energy_uj names the file and errno", "[energy][powercap]") {
  TempDir tmp("powercap");
  SECTION("energy_uj is a folder") {
    const std::string root = tmp / "powercap";
    const std::string pkg = write_zone(root, "intel-rapl:0", "package-0", 0, 1000);
    std::filesystem::remove(pkg + "/energy_uj");
    std::filesystem::create_directory(pkg + "/energy_uj");
    const MeterStatus status = PowercapEnergy(root).status();
    CHECK_FALSE(status.available);
    CHECK(status.reason == "cannot read " + pkg + "/energy_uj: Is a directory");
  }
  SECTION("energy_uj has no read permission") {
    const std::string root = tmp / "powercap";
    const std::string pkg = write_zone(root, "intel-rapl:0", "package-0", 0, 1000);
    REQUIRE(::chmod((pkg + "/energy_uj").c_str(), 0) == 0);
    std::ifstream probe(pkg + "/energy_uj");
    if (probe.good()) {
      WARN("running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop reading; permission case skipped");
      return;
    }
    const MeterStatus status = PowercapEnergy(root).status();
    CHECK_FALSE(status.available);
    CHECK_THAT(status.reason, Catch::StartsWith("cannot read " + pkg + "/energy_uj: Permission denied"));
    CHECK_THAT(status.reason, Catch::Contains("root only"));
  }
  SECTION("energy_uj holds no number") {
    const std::string root = tmp / "powercap";
    const std::string pkg = write_zone(root, "intel-rapl:0", "package-0", 0, 1000);
    write_file(pkg + "/energy_uj", "n/a\n");
    const MeterStatus status = PowercapEnergy(root).status();
    CHECK_FALSE(status.available);
    CHECK(status.reason == "expected an unsigned integer of microjoules in " + pkg + "/energy_uj, found 'n/a'");
  }
}

TEST_CASE("powercap: a counter that becomes unreadable mid-run is a warning, not a silent gap", "[energy][powercap]") {
  TempDir tmp("powercap");
  const std::string root = tmp / "powercap";
  const std::string pkg = write_zone(root, "intel-rapl:0", "package-0", 0, 1'000'000'000);
  PowercapEnergy source(root, std::chrono::milliseconds(1));
  source.start();
  std::filesystem::remove(pkg + "/energy_uj");
  wait_for_fresh_sample(source);
  set_counter(pkg, 3'000'000);
  EnergyReading reading = source.stop();
  CHECK(reading.joules == 0);  // the energy while it could not be read is not counted...
  REQUIRE_FALSE(reading.warnings.empty());  // ...and the record says so
  CHECK_THAT(reading.warnings[0], Catch::StartsWith("cannot read " + pkg + "/energy_uj: No such file or directory"));
}
