// One training step of the 4 x 256 model with four exits (multi-exit loss,
// backward, clipping, AdamW), in fp32 and in bf16 autocast.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "gemm_reference.h"
#include "greenbench/bert/precision.h"
#include "greenbench/bert/trainer.h"
#include "measure/flops.h"

namespace greenbench::microbench {
namespace {

// Args: batch, sequence length, precision (0 fp32, 1 bf16).
void BM_TrainingStep(benchmark::State& state) {
  const int batch_size = static_cast<int>(state.range(0)), seq = static_cast<int>(state.range(1));
  const Precision precision = state.range(2) ? Precision::bf16 : Precision::fp32;
  ThreadLayoutScope layout(precision);
  const BertConfig config = microbench_config();
  torch::manual_seed(4);
  BertClassifier model(config);
  model->train();
  TrainOptions options;
  TrainingStep step(model, options, precision);
  const Batch batch = random_batch(config, batch_size, seq, seq, 5);
  for (auto _ : state) benchmark::DoNotOptimize(step.run(batch, 1e-4));
  // Training costs about 3x the forward pass (forward, and two products per
  // product in backward); the counter uses that convention.
  const double forward = batch_size * instance_flops(config, seq, config.num_hidden_layers, model->num_exits());
  state.counters["FLOP/s"] = benchmark::Counter(3 * forward, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(batch_size) * seq, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(to_string(precision));
}
BENCHMARK(BM_TrainingStep)
    ->Args({32, 16, 0})->Args({32, 16, 1})->Args({32, 128, 0})->Args({32, 128, 1})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace greenbench::microbench
