// Hardware counters around a phase (instructions, cycles, floating-point
// operations) through PAPI, as a cross-check of the analytic FLOPs. PAPI sits
// behind CounterBackend so the meter's logic is testable on machines (VMs,
// containers) where perf cannot count: there the meter says PAPI's own reason.
#pragma once

#include <greenbench/meter.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace greenbench {

/// Preset events the counter meter asks for, in order of preference: when the
/// hardware cannot count them all together, the later ones are dropped first.
/// PAPI_TOT_INS is required; the floating-point events are added only where
/// the CPU exposes them.
const std::vector<std::string>& counter_events();

/// What a backend can count here, probed once.
struct CounterProbe {
  bool ok = false;
  std::string source;               ///< "PAPI 7.0.0 perf_event", when ok
  std::string reason;               ///< why nothing can be counted, when not ok
  std::vector<std::string> events;  ///< the wanted events that exist here, in the order asked
};

/// Outcome of starting a count: the events counting, those the backend refused and why.
struct CounterStart {
  std::vector<std::string> counting;
  std::vector<std::pair<std::string, std::string>> refused;  ///< event, reason
  std::string error;  ///< non-empty when nothing is counting
};

/// Outcome of stopping: one value per counting event, or the error.
struct CounterStop {
  std::vector<long long> values;
  std::string error;
};

/// The few PAPI calls the meter needs; tests inject a fake.
class CounterBackend {
 public:
  virtual ~CounterBackend() = default;
  /// Which of `wanted` exist on this machine, or why none can be counted.
  virtual CounterProbe probe(const std::vector<std::string>& wanted) = 0;
  /// Starts counting as many of `events` as fit together, on the calling thread.
  virtual CounterStart start(const std::vector<std::string>& events) = 0;
  /// Stops the count begun by start(); values follow CounterStart::counting.
  virtual CounterStop stop() = 0;
};

/// The real backend: a PAPI event set on the perf_event component, counting
/// the thread that calls start() (threads of LibTorch's or the BLAS's pools
/// are not counted). One count at a time per process: PAPI is initialised
/// without thread support (measure/papi_library.h).
std::unique_ptr<CounterBackend> make_papi_counter_backend();

/// Meter "counters". stop() returns {"available", "events": {name: value},
/// "scope", "ipc"?, "flops"?, "flops_events"?, "refused"?, "reason"?}, where
/// "flops" is the measured floating-point operation count.
class CounterMeter : public Meter {
 public:
  explicit CounterMeter(std::unique_ptr<CounterBackend> backend = make_papi_counter_backend());
  ~CounterMeter() override;
  CounterMeter(const CounterMeter&) = delete;
  CounterMeter& operator=(const CounterMeter&) = delete;

  std::string name() const override { return "counters"; }
  MeterStatus status() const override { return status_; }
  void start() override;
  nlohmann::json stop() override;

 private:
  std::unique_ptr<CounterBackend> backend_;
  MeterStatus status_;
  std::vector<std::string> events_;  ///< the events that exist here
  CounterStart started_;     ///< the last start(): what counts, what was refused, or its error
  bool attempted_ = false;   ///< start() was called since the last stop()
  bool running_ = false;     ///< the backend is counting
};

/// Puts the measured FLOPs of a "counters" reading beside the analytic count:
/// {"analytic", "measured", "measured_over_analytic"}, or {"analytic", "reason"}
/// when the reading has no FLOP count.
nlohmann::json flops_cross_check(const nlohmann::json& counters_reading, double analytic_flops);

}  // namespace greenbench
