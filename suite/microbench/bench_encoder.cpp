// Inference microbenchmarks: one encoder layer's forward at batch 1 and 32,
// the same layer's matrix products as plain GEMMs, and one batched
// early-exit pass. Each reports FLOP/s from the analytic count and, for the
// layer, that figure as a fraction of this run's GEMM FLOP/s.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <chrono>

#include "gemm_reference.h"
#include "greenbench/bert/bert.h"
#include "greenbench/bert/exit_engine.h"
#include "measure/flops.h"
#include "methods/early_exit/exit_rules.h"

namespace greenbench::microbench {
namespace {

// Args: batch, sequence length.
void BM_EncoderLayerForward(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0)), seq = static_cast<int>(state.range(1));
  const BertConfig config = microbench_config();
  torch::manual_seed(1);
  BertLayer layer(config, 0);
  layer->eval();
  torch::NoGradGuard no_grad;
  auto hidden = torch::randn({batch, seq, config.hidden_size});
  auto bias = BertModelImpl::mask_bias(torch::ones({batch, seq}, torch::kLong));
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(layer->forward(hidden, bias));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double flops = batch * encoder_layer_flops(config, seq);
  state.counters["FLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(batch) * seq, benchmark::Counter::kIsIterationInvariantRate);
  // The GEMM reference runs after the timed loop, so it cannot disturb it.
  const double achieved = flops * static_cast<double>(state.iterations()) / std::max(seconds, 1e-12);
  state.counters["fraction_of_gemm"] = achieved / layer_gemm_flops_per_second(config, batch, seq);
}
BENCHMARK(BM_EncoderLayerForward)->Args({1, 128})->Args({32, 128})->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_LayerGemms(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0)), seq = static_cast<int>(state.range(1));
  const BertConfig config = microbench_config();
  torch::NoGradGuard no_grad;
  for (auto _ : state) run_layer_gemms(config, batch, seq);
  state.counters["FLOP/s"] =
      benchmark::Counter(batch * encoder_layer_flops(config, seq), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_LayerGemms)->Args({1, 128})->Args({32, 128})->Unit(benchmark::kMicrosecond)->UseRealTime();

// Args: batch, threshold in percent (0: every instance leaves at the first
// exit; 100: all run the whole model and every head).
void BM_EarlyExitPass(benchmark::State& state) {
  const int batch_size = static_cast<int>(state.range(0));
  const double threshold = static_cast<double>(state.range(1)) / 100.0;
  const BertConfig config = microbench_config();
  torch::manual_seed(2);
  BertClassifier model(config);
  model->eval();
  const Batch batch = random_batch(config, batch_size, 32, 128, 3);
  const std::vector<double> temperatures(config.exit_layers.size(), 1.0);
  std::vector<Prediction> out;
  double flops = 0;
  torch::NoGradGuard no_grad;
  for (auto _ : state) {
    ConfidenceRule rule(threshold);
    predict_with_exits(model, batch, temperatures, rule, out);
    benchmark::DoNotOptimize(out.data());
  }
  for (size_t i = 0; i < out.size(); ++i) {
    flops += instance_flops(config, batch.lengths[i], out[i].layers_run, out[i].exits_evaluated);
  }
  state.counters["FLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["instances/s"] = benchmark::Counter(batch_size, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_EarlyExitPass)
    ->Args({1, 0})->Args({1, 100})->Args({32, 0})->Args({32, 100})
    ->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace greenbench::microbench
