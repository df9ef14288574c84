#include "measure/papi_counters.h"

#include <papi.h>

#include <algorithm>
#include <stdexcept>

#include "measure/papi_library.h"

namespace greenbench {
namespace {

const char* const kInstructions = "PAPI_TOT_INS";
const char* const kCycles = "PAPI_TOT_CYC";
// Intel's FP_ARITH counters behind these presets count each vector lane and an
// FMA as 2, the analytic convention; they do not see AMX tiles or BF16 dot
// products, so bf16 runs measure low.
const char* const kFlopsNote =
    "retired floating-point operations as the CPU counts them (Intel: per vector lane, FMA = 2; AMX and BF16 dot "
    "products not counted)";

std::string papi_error(int code) {
  const char* text = PAPI_strerror(code);
  return text ? text : "PAPI error " + std::to_string(code);
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class PapiCounterBackend final : public CounterBackend {
 public:
  ~PapiCounterBackend() override { release(); }

  CounterProbe probe(const std::vector<std::string>& wanted) override {
    CounterProbe probe;
    const PapiInit& init = papi_library();
    if (!init.ok) {
      probe.reason = init.reason;
      return probe;
    }
    const int cidx = PAPI_get_component_index("perf_event");
    if (cidx < 0) {
      probe.reason = "PAPI " + init.version + " has no perf_event component: " + papi_error(cidx);
      return probe;
    }
    const PAPI_component_info_t* info = PAPI_get_component_info(cidx);
    if (info == nullptr) {
      probe.reason = "PAPI " + init.version + " gives no information on its perf_event component";
      return probe;
    }
    if (info->disabled) {
      const std::string why = info->disabled_reason[0] ? info->disabled_reason : papi_error(info->disabled);
      probe.reason = "PAPI " + init.version + " perf_event component is disabled: " + why;
      return probe;
    }
    for (const std::string& name : wanted) {
      int code = 0;
      if (PAPI_event_name_to_code(name.c_str(), &code) == PAPI_OK && PAPI_query_event(code) == PAPI_OK) {
        probe.events.push_back(name);
      }
    }
    if (probe.events.empty()) {
      probe.reason = "PAPI " + init.version + " perf_event component offers none of the preset events asked for";
      return probe;
    }
    probe.ok = true;
    probe.source = "PAPI " + init.version + " perf_event";
    return probe;
  }

  CounterStart start(const std::vector<std::string>& events) override {
    release();
    CounterStart result;
    const int created = PAPI_create_eventset(&event_set_);
    if (created != PAPI_OK) {
      event_set_ = PAPI_NULL;
      result.error = "PAPI_create_eventset: " + papi_error(created);
      return result;
    }
    // One at a time, so an event that does not fit beside the others is
    // refused alone instead of failing the whole set.
    for (const std::string& name : events) {
      int code = 0;
      int rc = PAPI_event_name_to_code(name.c_str(), &code);
      if (rc == PAPI_OK) rc = PAPI_add_event(event_set_, code);
      if (rc == PAPI_OK) {
        result.counting.push_back(name);
      } else {
        result.refused.emplace_back(name, "PAPI_add_event: " + papi_error(rc));
      }
    }
    if (result.counting.empty()) {
      result.error = "PAPI could add none of the events to an event set";
      if (!result.refused.empty()) result.error += " (" + result.refused.front().second + ")";
      release();
      return result;
    }
    const int started = PAPI_start(event_set_);
    if (started != PAPI_OK) {
      result.error = "PAPI_start: " + papi_error(started);
      result.counting.clear();
      release();
      return result;
    }
    counting_ = result.counting.size();
    running_ = true;
    return result;
  }

  CounterStop stop() override {
    CounterStop result;
    if (!running_) {
      result.error = "the PAPI event set is not counting";
      return result;
    }
    result.values.assign(counting_, 0);
    const int rc = PAPI_stop(event_set_, result.values.data());
    running_ = false;
    release();
    if (rc != PAPI_OK) {
      result.values.clear();
      result.error = "PAPI_stop: " + papi_error(rc);
    }
    return result;
  }

 private:
  void release() {
    if (event_set_ == PAPI_NULL) return;
    if (running_) {
      std::vector<long long> discarded(counting_, 0);
      PAPI_stop(event_set_, discarded.data());
      running_ = false;
    }
    PAPI_cleanup_eventset(event_set_);
    PAPI_destroy_eventset(&event_set_);
    event_set_ = PAPI_NULL;
  }

  int event_set_ = PAPI_NULL;
  std::size_t counting_ = 0;
  bool running_ = false;
};

}  // namespace

const std::vector<std::string>& counter_events() {
  static const std::vector<std::string> events = {kInstructions, kCycles,       "PAPI_SP_OPS",
                                                  "PAPI_DP_OPS", "PAPI_FP_OPS", "PAPI_VEC_SP"};
  return events;
}

std::unique_ptr<CounterBackend> make_papi_counter_backend() { return std::make_unique<PapiCounterBackend>(); }

CounterMeter::CounterMeter(std::unique_ptr<CounterBackend> backend) : backend_(std::move(backend)) {
  if (!backend_) throw std::invalid_argument("CounterMeter needs a backend");
  const CounterProbe probe = backend_->probe(counter_events());
  if (!probe.ok) {
    status_.reason = probe.reason.empty() ? "the counter backend gave no reason" : probe.reason;
  } else if (!contains(probe.events, kInstructions)) {
    status_.reason = std::string(kInstructions) + " does not exist on this CPU (" + probe.source + ")";
  } else {
    status_.available = true;
    status_.source = probe.source;
    events_ = probe.events;
  }
}

CounterMeter::~CounterMeter() {
  if (running_) backend_->stop();
}

void CounterMeter::start() {
  if (!status_.available) return;
  if (running_) backend_->stop();  // a restart discards the count in progress
  started_ = backend_->start(events_);
  running_ = started_.error.empty();
  if (running_ && !contains(started_.counting, kInstructions)) {
    backend_->stop();
    running_ = false;
    std::string why = "not counted";
    for (const auto& [event, reason] : started_.refused) {
      if (event == kInstructions) why = reason;
    }
    started_.error = std::string(kInstructions) + ": " + why;
  }
  attempted_ = true;
}

nlohmann::json CounterMeter::stop() {
  nlohmann::json reading = status_.to_json();
  reading["events"] = nlohmann::json::object();
  if (!status_.available) return reading;
  if (!attempted_) throw std::logic_error("CounterMeter::stop() without start()");
  attempted_ = false;
  if (!running_) {
    reading["available"] = false;
    reading["reason"] = started_.error;
    return reading;
  }
  running_ = false;
  const CounterStop stopped = backend_->stop();
  if (!stopped.error.empty() || stopped.values.size() != started_.counting.size()) {
    reading["available"] = false;
    reading["reason"] = stopped.error.empty() ? "the counter backend returned " + std::to_string(stopped.values.size()) +
                                                    " values for " + std::to_string(started_.counting.size()) + " events"
                                              : stopped.error;
    return reading;
  }

  reading["scope"] = "calling thread";
  nlohmann::json& events = reading["events"];
  for (std::size_t i = 0; i < stopped.values.size(); ++i) events[started_.counting[i]] = stopped.values[i];
  if (events.contains(kCycles) && events[kCycles].get<long long>() > 0) {
    reading["ipc"] = events[kInstructions].get<double>() / events[kCycles].get<double>();
  }
  // SP_OPS and DP_OPS together cover fp32 and fp64 work; FP_OPS is only a
  // fallback because on recent Intel CPUs it counts scalar operations alone.
  std::vector<std::string> flops_events;
  for (const char* name : {"PAPI_SP_OPS", "PAPI_DP_OPS"}) {
    if (events.contains(name)) flops_events.push_back(name);
  }
  if (flops_events.empty() && events.contains("PAPI_FP_OPS")) flops_events.push_back("PAPI_FP_OPS");
  if (!flops_events.empty()) {
    double flops = 0;
    for (const std::string& name : flops_events) flops += events[name].get<double>();
    reading["flops"] = flops;
    reading["flops_events"] = flops_events;
    reading["flops_note"] = kFlopsNote;
  }
  if (!started_.refused.empty()) {
    nlohmann::json refused = nlohmann::json::object();
    for (const auto& [event, reason] : started_.refused) refused[event] = reason;
    reading["refused"] = refused;
  }
  return reading;
}

nlohmann::json flops_cross_check(const nlohmann::json& counters_reading, double analytic_flops) {
  nlohmann::json check = {{"analytic", analytic_flops}};
  if (!counters_reading.contains("flops")) {
    check["reason"] = counters_reading.value("available", false)
                          ? "the counters measured no floating-point event on this CPU"
                          : counters_reading.value("reason", std::string("the counters were not available"));
    return check;
  }
  const double measured = counters_reading["flops"].get<double>();
  check["measured"] = measured;
  if (analytic_flops > 0) check["measured_over_analytic"] = measured / analytic_flops;
  return check;
}

}  // namespace greenbench
