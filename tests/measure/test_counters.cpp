// The counter meter: its logic through a fake backend (the path where the CPU
// counts), and the real PAPI backend on whatever machine runs the tests (on a
// VM without a PMU it must say PAPI's reason, never report zeros).
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "measure/papi_counters.h"

using namespace greenbench;

namespace {

// What the fake machine offers and what the meter asked of it.
struct FakeMachine {
  bool ok = true;
  std::string reason;
  std::map<std::string, long long> counts;  // events that exist, and what a count reads
  std::vector<std::string> refuse;          // events that exist but do not fit in the set
  std::string start_error, stop_error;
  std::vector<std::string> probed, started;
  int starts = 0, stops = 0;
  bool running = false;
};

class FakeBackend : public CounterBackend {
 public:
  explicit FakeBackend(std::shared_ptr<FakeMachine> machine) : m_(std::move(machine)) {}

  CounterProbe probe(const std::vector<std::string>& wanted) override {
    m_->probed = wanted;
    CounterProbe probe;
    probe.ok = m_->ok;
    probe.reason = m_->reason;
    if (!m_->ok) return probe;
    probe.source = "fake PMU";
    for (const auto& name : wanted) {
      if (m_->counts.count(name)) probe.events.push_back(name);
    }
    return probe;
  }

  CounterStart start(const std::vector<std::string>& events) override {
    ++m_->starts;
    m_->started = events;
    CounterStart result;
    if (!m_->start_error.empty()) {
      result.error = m_->start_error;
      return result;
    }
    for (const auto& name : events) {
      bool refused = false;
      for (const auto& r : m_->refuse) refused = refused || r == name;
      if (refused) {
        result.refused.emplace_back(name, "PAPI_add_event: Event exists, but cannot be counted due to hardware resource limits");
      } else {
        result.counting.push_back(name);
      }
    }
    counting_ = result.counting;
    m_->running = true;
    return result;
  }

  CounterStop stop() override {
    ++m_->stops;
    m_->running = false;
    CounterStop result;
    if (!m_->stop_error.empty()) {
      result.error = m_->stop_error;
      return result;
    }
    for (const auto& name : counting_) result.values.push_back(m_->counts.at(name));
    return result;
  }

 private:
  std::shared_ptr<FakeMachine> m_;
  std::vector<std::string> counting_;
};

std::shared_ptr<FakeMachine> machine_with_fp_counters() {
  auto m = std::make_shared<FakeMachine>();
  m->counts = {{"PAPI_TOT_INS", 2000}, {"PAPI_TOT_CYC", 1000}, {"PAPI_SP_OPS", 300},
               {"PAPI_DP_OPS", 50},    {"PAPI_FP_OPS", 10}};
  return m;
}

// Work for the real counters to count: floating-point multiply-adds.
double busy_work() {
  volatile double sum = 0;
  for (int i = 0; i < 200000; ++i) sum = sum + i * 1.000001;
  return sum;
}

}  // namespace

TEST_CASE("CounterMeter reports counts, IPC and measured FLOPs where the CPU counts them", "[counters]") {
  auto machine = machine_with_fp_counters();
  CounterMeter meter(std::make_unique<FakeBackend>(machine));
  CHECK(meter.name() == "counters");
  REQUIRE(meter.status().available);
  CHECK(meter.status().source == "fake PMU");
  CHECK(machine->probed == counter_events());

  meter.start();
  // Only the events that exist are asked for, in the order of preference.
  CHECK(machine->started ==
        std::vector<std::string>{"PAPI_TOT_INS", "PAPI_TOT_CYC", "PAPI_SP_OPS", "PAPI_DP_OPS", "PAPI_FP_OPS"});
  const nlohmann::json reading = meter.stop();
  CHECK(reading["available"] == true);
  CHECK(reading["source"] == "fake PMU");
  CHECK(reading["scope"] == "calling thread");
  CHECK(reading["events"].size() == 5);
  CHECK(reading["events"]["PAPI_TOT_INS"] == 2000);
  CHECK(reading["events"]["PAPI_DP_OPS"] == 50);
  CHECK(reading["ipc"].get<double>() == Approx(2.0));
  // SP + DP; FP_OPS (scalar only on recent Intel) is not added on top.
  CHECK(reading["flops"].get<double>() == Approx(350));
  CHECK(reading["flops_events"] == nlohmann::json::array({"PAPI_SP_OPS", "PAPI_DP_OPS"}));
  CHECK(!reading.contains("refused"));
  CHECK(!reading.contains("reason"));
  CHECK(machine->starts == 1);
  CHECK(machine->stops == 1);
}

TEST_CASE("CounterMeter keeps counting when an optional event does not fit, and says which", "[counters]") {
  auto machine = machine_with_fp_counters();
  machine->refuse = {"PAPI_DP_OPS", "PAPI_TOT_CYC"};
  CounterMeter meter(std::make_unique<FakeBackend>(machine));
  meter.start();
  const nlohmann::json reading = meter.stop();
  CHECK(reading["available"] == true);
  CHECK(!reading["events"].contains("PAPI_DP_OPS"));
  CHECK(reading["flops"].get<double>() == Approx(300));
  CHECK(!reading.contains("ipc"));  // no cycles, no IPC
  REQUIRE(reading.contains("refused"));
  CHECK(reading["refused"]["PAPI_DP_OPS"].get<std::string>().find("PAPI_add_event") != std::string::npos);
  CHECK(reading["refused"].contains("PAPI_TOT_CYC"));
}

TEST_CASE("CounterMeter falls back to PAPI_FP_OPS only without SP/DP events, and omits FLOPs without any", "[counters]") {
  auto machine = std::make_shared<FakeMachine>();
  machine->counts = {{"PAPI_TOT_INS", 500}, {"PAPI_TOT_CYC", 1000}, {"PAPI_FP_OPS", 42}};
  CounterMeter fp_only(std::make_unique<FakeBackend>(machine));
  fp_only.start();
  nlohmann::json reading = fp_only.stop();
  CHECK(reading["flops"].get<double>() == Approx(42));
  CHECK(reading["flops_events"] == nlohmann::json::array({"PAPI_FP_OPS"}));
  CHECK(reading["ipc"].get<double>() == Approx(0.5));

  auto no_fp = std::make_shared<FakeMachine>();
  no_fp->counts = {{"PAPI_TOT_INS", 500}};
  CounterMeter integer_only(std::make_unique<FakeBackend>(no_fp));
  integer_only.start();
  reading = integer_only.stop();
  CHECK(reading["available"] == true);
  CHECK(reading["events"]["PAPI_TOT_INS"] == 500);
  CHECK(!reading.contains("flops"));
  CHECK(!reading.contains("ipc"));
}

TEST_CASE("CounterMeter is unavailable, with the backend's reason, where nothing can be counted", "[counters]") {
  auto machine = std::make_shared<FakeMachine>();
  machine->ok = false;
  machine->reason = "PAPI 7.0.0 perf_event component is disabled: Error libpfm4 no default PMU found";
  CounterMeter meter(std::make_unique<FakeBackend>(machine));
  CHECK(!meter.status().available);
  CHECK(meter.status().reason == machine->reason);
  meter.start();
  const nlohmann::json reading = meter.stop();
  CHECK(reading["available"] == false);
  CHECK(reading["reason"] == machine->reason);
  CHECK(reading["events"].empty());  // no zeros stand in for counts
  CHECK(machine->starts == 0);
}

TEST_CASE("CounterMeter needs PAPI_TOT_INS", "[counters]") {
  auto machine = std::make_shared<FakeMachine>();
  machine->counts = {{"PAPI_TOT_CYC", 1000}, {"PAPI_SP_OPS", 8}};
  CounterMeter missing(std::make_unique<FakeBackend>(machine));
  CHECK(!missing.status().available);
  CHECK(missing.status().reason.find("PAPI_TOT_INS") != std::string::npos);

  auto refusing = machine_with_fp_counters();
  refusing->refuse = {"PAPI_TOT_INS"};
  CounterMeter refused(std::make_unique<FakeBackend>(refusing));
  REQUIRE(refused.status().available);
  refused.start();
  CHECK(!refusing->running);  // the partial set was stopped again
  const nlohmann::json reading = refused.stop();
  CHECK(reading["available"] == false);
  CHECK(reading["reason"].get<std::string>().find("PAPI_TOT_INS: PAPI_add_event") == 0);
}

TEST_CASE("CounterMeter reports start and stop failures as reasons and recovers", "[counters]") {
  auto machine = machine_with_fp_counters();
  machine->start_error = "PAPI_start: Permission level does not permit operation";
  CounterMeter meter(std::make_unique<FakeBackend>(machine));
  meter.start();
  nlohmann::json reading = meter.stop();
  CHECK(reading["available"] == false);
  CHECK(reading["reason"] == machine->start_error);
  CHECK(reading["events"].empty());

  machine->start_error.clear();
  machine->stop_error = "PAPI_stop: Event set is not running";
  meter.start();
  reading = meter.stop();
  CHECK(reading["available"] == false);
  CHECK(reading["reason"] == machine->stop_error);

  machine->stop_error.clear();
  meter.start();
  reading = meter.stop();
  CHECK(reading["available"] == true);
  CHECK(reading["events"]["PAPI_TOT_INS"] == 2000);
}

TEST_CASE("CounterMeter restarts on a second start and stops a running count when destroyed", "[counters]") {
  auto machine = machine_with_fp_counters();
  {
    CounterMeter meter(std::make_unique<FakeBackend>(machine));
    CHECK_THROWS_AS(meter.stop(), std::logic_error);
    meter.start();
    meter.start();  // the first count is discarded
    CHECK(machine->starts == 2);
    CHECK(machine->stops == 1);
    CHECK(meter.stop()["available"] == true);
    CHECK(machine->stops == 2);
    meter.start();
    CHECK(machine->running);
  }
  CHECK(!machine->running);
  CHECK(machine->stops == 3);
}

TEST_CASE("flops_cross_check puts measured FLOPs beside the analytic count", "[counters]") {
  auto machine = machine_with_fp_counters();
  CounterMeter meter(std::make_unique<FakeBackend>(machine));
  meter.start();
  const nlohmann::json check = flops_cross_check(meter.stop(), 700);
  CHECK(check["analytic"].get<double>() == 700);
  CHECK(check["measured"].get<double>() == 350);
  CHECK(check["measured_over_analytic"].get<double>() == Approx(0.5));

  const nlohmann::json absent = flops_cross_check({{"available", false}, {"reason", "no PMU"}}, 700);
  CHECK(absent["reason"] == "no PMU");
  CHECK(!absent.contains("measured"));
  const nlohmann::json no_fp = flops_cross_check({{"available", true}, {"events", {{"PAPI_TOT_INS", 5}}}}, 700);
  CHECK(!no_fp["reason"].get<std::string>().empty());
}

TEST_CASE("the PAPI counter meter counts on this machine or says why it cannot", "[counters][papi]") {
  CounterMeter meter;  // the real PAPI backend
  const MeterStatus status = meter.status();
  meter.start();
  const double sum = busy_work();
  const nlohmann::json reading = meter.stop();
  UNSCOPED_INFO("work result " << sum << "; counters: " << reading.dump());
  if (!status.available) {
    CHECK(!status.reason.empty());
    CHECK(reading["available"] == false);
    CHECK(reading["reason"] == status.reason);
    CHECK(reading["events"].empty());
  } else if (reading["available"] == true) {
    CHECK(!status.source.empty());
    CHECK(reading["events"]["PAPI_TOT_INS"].get<long long>() > 0);
  } else {
    // Counting is possible here, but this start was refused (for example by
    // perf_event_paranoid): then in PAPI's words.
    CHECK(!reading["reason"].get<std::string>().empty());
  }
}
