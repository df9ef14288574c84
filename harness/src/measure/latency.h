// Timing of the evaluation phase in the shape of MLPerf's two CPU scenarios:
// SingleStream (one instance at a time, latency percentiles) and Offline
// (throughput at a batch size). Warm-up calls run first and are never
// counted. TimeMeter gives the wall and process CPU time of any phase.
#pragma once

#include <greenbench/meter.h>

#include <chrono>
#include <cstddef>
#include <ctime>
#include <functional>
#include <vector>

namespace greenbench {

/// Summary of per-instance latencies, in seconds.
struct LatencyStats {
  std::size_t count = 0;
  double mean = 0, min = 0, max = 0;
  double p50 = 0, p90 = 0, p99 = 0;
  nlohmann::json to_json() const;
};

/// The q-quantile (0 <= q <= 1) of `samples` by linear interpolation between
/// the two nearest order statistics: rank h = q * (n - 1) on the sorted
/// samples, x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]). This is
/// numpy's default (method "linear", Hyndman & Fan type 7). Throws
/// std::invalid_argument on no samples or q outside [0, 1].
double percentile(std::vector<double> samples, double q);

/// Count, mean, min, max and p50/p90/p99 of `samples`. Throws
/// std::invalid_argument when there are none, so no record shows a zero latency.
LatencyStats latency_stats(const std::vector<double>& samples);

/// SingleStream: calls `call(i)` for i = 0..timed-1, timing each call alone
/// with steady_clock. Returns the durations in seconds, in call order. The
/// caller warms up first (the runner: on other instances of the same lengths).
std::vector<double> time_each_call(const std::function<void(std::size_t)>& call, std::size_t timed);

/// Offline: how many instances per second a batched loop sustains.
struct Throughput {
  std::size_t batches = 0;
  std::size_t instances = 0;
  double seconds = 0;
  double instances_per_second = 0;
  nlohmann::json to_json() const;
};

/// Runs `run_batch(i)` (which returns how many instances it processed) for
/// `warmup_batches` untimed calls, then times one window of consecutive calls
/// that lasts until at least `min_batches` batches and `min_seconds` have
/// passed. Throws std::invalid_argument when min_batches is 0.
Throughput measure_throughput(const std::function<std::size_t(std::size_t)>& run_batch, std::size_t warmup_batches,
                              std::size_t min_batches, double min_seconds = 0);

/// Meter "time": wall time (steady_clock) and CPU time of the whole process,
/// all threads (CLOCK_PROCESS_CPUTIME_ID), of one phase. stop() returns
/// {"available", "source", "wall_seconds", "cpu_seconds"}.
class TimeMeter : public Meter {
 public:
  TimeMeter();
  std::string name() const override { return "time"; }
  MeterStatus status() const override { return status_; }
  void start() override;
  nlohmann::json stop() override;

 private:
  MeterStatus status_;
  bool running_ = false;
  std::chrono::steady_clock::time_point wall_start_;
  timespec cpu_start_{};
};

}  // namespace greenbench
