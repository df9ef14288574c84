// One training step of the 4 x 256 model with four exits (multi-exit loss,
// backward, clipping, AdamW), in fp32 and in bf16 autocast.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <random>

#include "gemm_reference.h"
#include "measure/flops.h"
#include "train/precision.h"
#include "train/trainer.h"

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
  EncodedSet set;
  std::mt19937 rng(5);
  for (int i = 0; i < batch_size; ++i) {
    std::vector<int32_t> ids(static_cast<size_t>(seq));
    for (auto& id : ids) id = static_cast<int32_t>(5 + rng() % (config.vocab_size - 5));
    set.ids.push_back(ids);
    set.type_ids.push_back(std::vector<int32_t>(ids.size(), 0));
    set.labels.push_back(static_cast<int64_t>(rng() % 2));
  }
  std::vector<int64_t> all(static_cast<size_t>(batch_size));
  for (int i = 0; i < batch_size; ++i) all[static_cast<size_t>(i)] = i;
  const Batch batch = collate(set, all);
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
