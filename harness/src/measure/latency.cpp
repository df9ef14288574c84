#include "measure/latency.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <string>

namespace greenbench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double seconds_between(const timespec& from, const timespec& to) {
  return static_cast<double>(to.tv_sec - from.tv_sec) + static_cast<double>(to.tv_nsec - from.tv_nsec) * 1e-9;
}

double sorted_percentile(const std::vector<double>& sorted, double q) {
  const double rank = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(rank));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (rank - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

}  // namespace

nlohmann::json LatencyStats::to_json() const {
  return {{"count", count},
          {"percentile_method", "linear interpolation (numpy default)"},
          {"mean_seconds", mean},
          {"min_seconds", min},
          {"max_seconds", max},
          {"p50_seconds", p50},
          {"p90_seconds", p90},
          {"p99_seconds", p99}};
}

double percentile(std::vector<double> samples, double q) {
  if (samples.empty()) throw std::invalid_argument("percentile of no samples");
  if (!(q >= 0 && q <= 1)) throw std::invalid_argument("percentile: q must lie in [0, 1], got " + std::to_string(q));
  std::sort(samples.begin(), samples.end());
  return sorted_percentile(samples, q);
}

LatencyStats latency_stats(const std::vector<double>& samples) {
  if (samples.empty()) throw std::invalid_argument("latency statistics of no samples");
  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  LatencyStats stats;
  stats.count = sorted.size();
  stats.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
  stats.min = sorted.front();
  stats.max = sorted.back();
  stats.p50 = sorted_percentile(sorted, 0.50);
  stats.p90 = sorted_percentile(sorted, 0.90);
  stats.p99 = sorted_percentile(sorted, 0.99);
  return stats;
}

std::vector<double> time_each_call(const std::function<void(std::size_t)>& call, std::size_t timed) {
  std::vector<double> samples;
  samples.reserve(timed);
  for (std::size_t i = 0; i < timed; ++i) {
    const auto start = Clock::now();
    call(i);
    samples.push_back(seconds_since(start));
  }
  return samples;
}

nlohmann::json Throughput::to_json() const {
  return {{"batches", batches}, {"instances", instances}, {"seconds", seconds},
          {"instances_per_second", instances_per_second}};
}

Throughput measure_throughput(const std::function<std::size_t(std::size_t)>& run_batch, std::size_t warmup_batches,
                              std::size_t min_batches, double min_seconds) {
  if (min_batches == 0) throw std::invalid_argument("measure_throughput needs at least one timed batch");
  for (std::size_t i = 0; i < warmup_batches; ++i) run_batch(i);
  Throughput result;
  // One window around all batches, not a sum of per-batch times, so the time
  // between batches (as a real stream would pay it) is counted too.
  const auto start = Clock::now();
  do {
    result.instances += run_batch(result.batches);
    ++result.batches;
    result.seconds = seconds_since(start);
  } while (result.batches < min_batches || result.seconds < min_seconds);
  if (result.seconds > 0) result.instances_per_second = static_cast<double>(result.instances) / result.seconds;
  return result;
}

TimeMeter::TimeMeter() {
  status_.available = true;
  timespec probe{};
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &probe) == 0) {
    status_.source = "steady_clock wall time, CLOCK_PROCESS_CPUTIME_ID process CPU time";
  } else {
    status_.source = "steady_clock wall time";
    status_.reason = std::string("no process CPU time: clock_gettime(CLOCK_PROCESS_CPUTIME_ID): ") + std::strerror(errno);
  }
}

void TimeMeter::start() {
  running_ = true;
  if (status_.reason.empty()) clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu_start_);
  wall_start_ = Clock::now();
}

nlohmann::json TimeMeter::stop() {
  const double wall = seconds_since(wall_start_);
  if (!running_) throw std::logic_error("TimeMeter::stop() without start()");
  running_ = false;
  nlohmann::json reading = status_.to_json();
  reading["wall_seconds"] = wall;
  if (!status_.reason.empty()) return reading;  // the reason says why there is no CPU time
  timespec cpu_end{};
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu_end) == 0) {
    reading["cpu_seconds"] = seconds_between(cpu_start_, cpu_end);
  } else {
    reading["reason"] = std::string("clock_gettime(CLOCK_PROCESS_CPUTIME_ID): ") + std::strerror(errno);
  }
  return reading;
}

}  // namespace greenbench
