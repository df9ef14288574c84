// int8 Linear against fp32 at batch 1, per quantized engine and activation
// mode (dynamic: scale from each input; calibrated: scales observed ahead of
// time): one Linear of the microbenchmark model's shapes, and one whole
// encoder layer. The third argument says what the calls see: 0 the same
// input every call; 1 one of 16 inputs of lengths seq-8 .. seq+7 in turn;
// 2 a new input of the same length each call; 3 a new input of a new length
// each call, seq .. seq+119 (2 and 3: a fixed 120 calls; FLOP/s counts the
// lengths used). Real batch-1 text is 3. As the runner does, one untimed
// pass over other inputs of the same lengths comes first (and provides the
// calibrated ranges). LibTorch 1.13's oneDNN path compiles a kernel per
// input shape and per activation scale (the scale is a constant of the
// kernel), so dynamic int8 is fast only in 0 and 1; calibrated scales are
// fixed, so its kernels are reused across inputs; see ONEDNN_VERBOSE=2.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "gemm_reference.h"
#include "greenbench/bert/bert.h"
#include "greenbench/bert/quantizable_linear.h"
#include "measure/flops.h"

namespace greenbench::microbench {
namespace {

constexpr int kDistinctLengths = 16;
constexpr int kFreshInputCalls = 120;

// Engine argument: -1 fp32, 0 QNNPACK, 1 oneDNN (dynamic activations);
// 2 QNNPACK, 3 oneDNN (calibrated activations).
std::optional<at::QEngine> engine_of(int64_t arg) {
  if (arg < 0) return std::nullopt;
  return arg % 2 == 0 ? at::QEngine::QNNPACK : at::QEngine::ONEDNN;
}

Int8Activations activations_of(int64_t arg) { return arg >= 2 ? Int8Activations::calibrated : Int8Activations::dynamic; }

std::string label_of(int64_t arg) {
  if (arg < 0) return "fp32";
  return quantized_engine_name(*engine_of(arg)) + " " + int8_activations_name(activations_of(arg));
}

// The untimed pass: ranges observed (fp32) and then every shape met once in
// the arithmetic under test, on `stand_ins`, never on the timed inputs.
template <typename Module, typename Call>
void prepare(Module& module, int64_t engine_arg, const std::vector<torch::Tensor>& stand_ins, Call call) {
  const auto engine = engine_of(engine_arg);
  if (engine) prepare_int8(module, *engine);
  observe_ranges(module, true);
  for (size_t k = 0; k < stand_ins.size(); ++k) call(k);
  observe_ranges(module, false);
  use_int8(module, engine, activations_of(engine_arg));
  for (size_t k = 0; k < stand_ins.size(); ++k) call(k);
}

const char* const kInputModes[] = {" same input", " 16 inputs in turn", " new input each call",
                                   " new input and length each call"};

// The inputs a run cycles through, as the mode says. Each call of a
// benchmark draws new ones, so repetitions do not meet inputs seen before.
std::vector<torch::Tensor> inputs(int64_t seq, int64_t width, int64_t mode) {
  static uint64_t draws = 0;
  torch::manual_seed(1000 + draws++);
  const int count = mode == 0 ? 1 : mode == 1 ? kDistinctLengths : kFreshInputCalls;
  std::vector<torch::Tensor> xs;
  for (int i = 0; i < count; ++i) {
    const int64_t length = mode == 1 ? seq - kDistinctLengths / 2 + i : mode == 3 ? seq + i : seq;
    xs.push_back(torch::randn({1, length, width}));
  }
  return xs;
}

// Args: engine, sequence length, varied lengths, in features, out features.
void BM_LinearBatch1(benchmark::State& state) {
  const int64_t seq = state.range(1), in = state.range(3), out = state.range(4);
  torch::manual_seed(1);
  QuantizableLinear linear(in, out);
  torch::NoGradGuard no_grad;
  const auto stand_ins = inputs(seq, in, state.range(2));
  prepare(*linear, state.range(0), stand_ins, [&](size_t k) { linear->forward(stand_ins[k]); });
  const auto xs = inputs(seq, in, state.range(2));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(linear->forward(xs[i++ % xs.size()]));
  state.SetLabel(label_of(state.range(0)) + kInputModes[state.range(2)]);
}
BENCHMARK(BM_LinearBatch1)
    ->ArgsProduct({{-1, 0, 1, 2, 3}, {48}, {0, 1}, {256}, {256, 1024}})
    ->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_LinearBatch1)
    ->ArgsProduct({{-1, 0, 1, 2, 3}, {48}, {2, 3}, {256}, {256, 1024}})
    ->Iterations(kFreshInputCalls)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Args: engine, sequence length, varied lengths.
void BM_EncoderLayerBatch1(benchmark::State& state) {
  const int64_t seq = state.range(1);
  const BertConfig config = microbench_config();
  torch::manual_seed(1);
  BertLayer layer(config, 0);
  layer->eval();
  torch::NoGradGuard no_grad;
  const auto xs = inputs(seq, config.hidden_size, state.range(2));
  std::vector<torch::Tensor> biases;
  for (const auto& x : xs) biases.push_back(BertModelImpl::mask_bias(torch::ones({1, x.size(1)}, torch::kLong)));
  const auto stand_ins = inputs(seq, config.hidden_size, state.range(2));  // lengths as xs
  prepare(*layer, state.range(0), stand_ins, [&](size_t k) { layer->forward(stand_ins[k], biases[k]); });
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ % xs.size();
    benchmark::DoNotOptimize(layer->forward(xs[k], biases[k]));
  }
  state.SetLabel(label_of(state.range(0)) + kInputModes[state.range(2)]);
  double flops = 0;  // mean over the inputs, as the loop cycles through them
  for (const auto& x : xs) flops += encoder_layer_flops(config, static_cast<int>(x.size(1)));
  state.counters["FLOP/s"] =
      benchmark::Counter(flops / static_cast<double>(xs.size()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_EncoderLayerBatch1)
    ->ArgsProduct({{-1, 0, 1, 2, 3}, {48, 128}, {0, 1}})
    ->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_EncoderLayerBatch1)
    ->ArgsProduct({{-1, 0, 1, 2, 3}, {48, 128}, {2, 3}})
    ->Iterations(kFreshInputCalls)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace greenbench::microbench
