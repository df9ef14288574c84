// Latency statistics on samples whose percentiles are known (numpy's
// np.percentile with its default method gives the same numbers), the timing
// loops' bookkeeping (warm-up calls run but are not counted), and TimeMeter.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "measure/latency.h"

using namespace greenbench;

TEST_CASE("percentile interpolates linearly between order statistics, as numpy does", "[latency]") {
  // np.percentile([1..10], [50, 90, 99]) == [5.5, 9.1, 9.91]; order must not matter.
  const std::vector<double> one_to_ten = {7, 3, 10, 1, 5, 9, 2, 8, 6, 4};
  CHECK(percentile(one_to_ten, 0.50) == Approx(5.5));
  CHECK(percentile(one_to_ten, 0.90) == Approx(9.1));
  CHECK(percentile(one_to_ten, 0.99) == Approx(9.91));
  CHECK(percentile(one_to_ten, 0.0) == 1);
  CHECK(percentile(one_to_ten, 1.0) == 10);
  // np.percentile([15, 20, 35, 40, 50], 40) == 29: rank 1.6 lies 0.6 of the way from 20 to 35.
  CHECK(percentile({15, 20, 35, 40, 50}, 0.40) == Approx(29));
  // An exact rank needs no interpolation: rank 2 of 5 samples is the median.
  CHECK(percentile({50, 15, 40, 20, 35}, 0.50) == 35);
  CHECK(percentile({0.25}, 0.99) == 0.25);
}

TEST_CASE("percentile refuses no samples and quantiles outside [0, 1]", "[latency]") {
  CHECK_THROWS_AS(percentile({}, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(percentile({1, 2}, -0.01), std::invalid_argument);
  CHECK_THROWS_AS(percentile({1, 2}, 1.01), std::invalid_argument);
  CHECK_THROWS_AS(percentile({1, 2}, 50), std::invalid_argument);
}

TEST_CASE("latency_stats summarises samples: count, mean, min, max, p50/p90/p99", "[latency]") {
  std::vector<double> samples;
  for (int i = 100; i >= 1; --i) samples.push_back(i * 0.001);  // 1..100 ms, descending
  const LatencyStats stats = latency_stats(samples);
  CHECK(stats.count == 100);
  CHECK(stats.mean == Approx(0.0505));
  CHECK(stats.min == Approx(0.001));
  CHECK(stats.max == Approx(0.100));
  // np.percentile(np.arange(1, 101), [50, 90, 99]) == [50.5, 90.1, 99.01]
  CHECK(stats.p50 == Approx(0.0505));
  CHECK(stats.p90 == Approx(0.0901));
  CHECK(stats.p99 == Approx(0.09901));

  const nlohmann::json j = stats.to_json();
  CHECK(j["count"] == 100);
  CHECK(j["p99_seconds"].get<double>() == Approx(0.09901));
  CHECK(j["percentile_method"].get<std::string>().find("linear") != std::string::npos);

  CHECK_THROWS_AS(latency_stats({}), std::invalid_argument);
}

TEST_CASE("time_each_call times each call once, in order", "[latency]") {
  std::vector<std::size_t> indices;
  const auto samples = time_each_call([&](std::size_t i) { indices.push_back(i); }, 5);
  CHECK(samples.size() == 5);
  CHECK(indices == std::vector<std::size_t>{0, 1, 2, 3, 4});
  for (double s : samples) CHECK(s >= 0);
  CHECK(time_each_call([&](std::size_t) {}, 0).empty());
}

TEST_CASE("measure_throughput counts the instances of timed batches only", "[latency]") {
  std::vector<std::size_t> indices;
  const Throughput t = measure_throughput(
      [&](std::size_t i) {
        indices.push_back(i);
        return std::size_t{4};
      },
      2, 5);
  CHECK(t.batches == 5);
  CHECK(t.instances == 20);
  CHECK(indices == std::vector<std::size_t>{0, 1, 0, 1, 2, 3, 4});
  CHECK(t.seconds >= 0);
  if (t.seconds > 0) CHECK(t.instances_per_second == Approx(t.instances / t.seconds));
  CHECK(t.to_json()["instances"] == 20);

  CHECK_THROWS_AS(measure_throughput([](std::size_t) { return std::size_t{1}; }, 0, 0), std::invalid_argument);
}

TEST_CASE("measure_throughput keeps running batches until the minimum window has passed", "[latency]") {
  // The loop's own stopping rule, not a speed: it may only stop once both minimums are met.
  const double min_seconds = 0.002;
  const Throughput t = measure_throughput([](std::size_t) { return std::size_t{1}; }, 0, 3, min_seconds);
  CHECK(t.batches >= 3);
  CHECK(t.instances == t.batches);
  CHECK(t.seconds >= min_seconds);
  CHECK(t.instances_per_second > 0);
}

TEST_CASE("TimeMeter reports wall and process CPU time of a phase", "[latency][meter]") {
  TimeMeter meter;
  CHECK(meter.name() == "time");
  REQUIRE(meter.status().available);
  CHECK_THROWS_AS(meter.stop(), std::logic_error);

  meter.start();
  // Busy work so that the process uses some CPU time; the loop's bound is a
  // count, the readings are checked for sign and presence, never for speed.
  volatile double sink = 0;
  for (int i = 0; i < 2000000; ++i) sink = sink + i * 0.5;
  const nlohmann::json reading = meter.stop();
  CHECK(reading["available"] == true);
  REQUIRE(reading.contains("wall_seconds"));
  CHECK(reading["wall_seconds"].get<double>() > 0);
  REQUIRE(reading.contains("cpu_seconds"));
  CHECK(reading["cpu_seconds"].get<double>() > 0);
  CHECK(!reading["source"].get<std::string>().empty());
  // A finished measurement cannot be stopped twice.
  CHECK_THROWS_AS(meter.stop(), std::logic_error);
}
