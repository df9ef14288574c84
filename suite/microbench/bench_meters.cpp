// What the meters cost. The runner wraps each phase (training, one operating
// point over the test role) in PhaseMeters, so their price is one start() and
// one stop() per phase; BM_MeteredForward shows the worst case, a phase as
// short as one batch-32 forward pass of the 4 x 256 model, against the bare pass.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "gemm_reference.h"
#include "greenbench/bert/bert.h"
#include "measure/energy_meter.h"
#include "measure/latency.h"
#include "measure/papi_counters.h"
#include "run/phase_meters.h"

namespace greenbench::microbench {
namespace {

std::string label(const MeterStatus& status) { return status.available ? "available" : "unavailable here"; }
std::string label(const nlohmann::json&) { return "time, counters, energy"; }

template <typename M>
void BM_MeterStartStop(benchmark::State& state) {
  M meter;
  for (auto _ : state) {
    meter.start();
    benchmark::DoNotOptimize(meter.stop());
  }
  state.SetLabel(label(meter.status()));
}
BENCHMARK_TEMPLATE(BM_MeterStartStop, TimeMeter)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_MeterStartStop, CounterMeter)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_MeterStartStop, EnergyMeter)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_MeterStartStop, PhaseMeters)->Unit(benchmark::kMicrosecond);

// Arg: 0 bare, 1 inside PhaseMeters start/stop.
void BM_MeteredForward(benchmark::State& state) {
  const bool metered = state.range(0) != 0;
  BertConfig config = microbench_config();
  torch::manual_seed(6);
  BertClassifier model(config);
  model->eval();
  torch::NoGradGuard no_grad;
  ModelInput input{torch::randint(5, config.vocab_size, {32, 128}), torch::zeros({32, 128}, torch::kLong),
                   torch::ones({32, 128}, torch::kLong)};
  PhaseMeters meters;
  for (auto _ : state) {
    if (metered) meters.start();
    benchmark::DoNotOptimize(model->forward(input));
    if (metered) benchmark::DoNotOptimize(meters.stop());
  }
  state.SetLabel(metered ? "metered" : "bare");
}
BENCHMARK(BM_MeteredForward)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace greenbench::microbench
