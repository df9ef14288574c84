#include "gemm_reference.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <tuple>

#include "greenbench/bert/precision.h"
#include "measure/flops.h"

namespace greenbench::microbench {
namespace {
struct Operands {
  torch::Tensor x, w_hh, w_hi, w_ih, inner, q, kt, probs, v;
};

Operands make_operands(const BertConfig& c, int batch, int seq) {
  const int64_t tokens = static_cast<int64_t>(batch) * seq, heads = c.num_attention_heads, d = c.head_dim();
  const int64_t h = c.hidden_size, i = c.intermediate_size;
  return {torch::randn({tokens, h}),         torch::randn({h, h}),
          torch::randn({h, i}),              torch::randn({i, h}),
          torch::randn({tokens, i}),         torch::randn({batch * heads, seq, d}),
          torch::randn({batch * heads, d, seq}), torch::randn({batch * heads, seq, seq}),
          torch::randn({batch * heads, seq, d})};
}

// Q, K, V and output projections, scores, weighted sum, the two feed-forward
// products: the matrix products counted by encoder_layer_flops.
void multiply(const Operands& o) {
  for (int k = 0; k < 4; ++k) torch::mm(o.x, o.w_hh);
  torch::bmm(o.q, o.kt);
  torch::bmm(o.probs, o.v);
  torch::mm(o.x, o.w_hi);
  torch::mm(o.inner, o.w_ih);
}
}  // namespace

void run_layer_gemms(const BertConfig& config, int batch, int seq_len) {
  static std::map<std::tuple<int, int>, Operands> cache;
  auto key = std::make_tuple(batch, seq_len);
  if (!cache.count(key)) cache[key] = make_operands(config, batch, seq_len);
  multiply(cache[key]);
}

double layer_gemm_flops_per_second(const BertConfig& config, int batch, int seq_len, double min_seconds) {
  static std::map<std::tuple<int, int>, double> measured;
  auto key = std::make_tuple(batch, seq_len);
  if (measured.count(key)) return measured[key];
  torch::NoGradGuard no_grad;
  const Operands operands = make_operands(config, batch, seq_len);
  for (int i = 0; i < 3; ++i) multiply(operands);
  int64_t rounds = 0;
  const auto start = std::chrono::steady_clock::now();
  double seconds = 0;
  do {
    multiply(operands);
    ++rounds;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (seconds < min_seconds);
  const double flops = static_cast<double>(rounds) * batch * encoder_layer_flops(config, seq_len);
  return measured[key] = flops / seconds;
}

BertConfig microbench_config() {
  BertConfig c = BertConfig::preset("mini");
  c.num_hidden_layers = 4;
  c.vocab_size = 16000;
  c.num_labels = 2;
  c.exit_layers = {0, 1, 2, 3};
  c.pooling = "mean";
  return c;
}

Batch random_batch(const BertConfig& config, int batch, int min_len, int max_len, uint64_t seed) {
  EncodedSet set;
  std::mt19937_64 rng(seed);
  std::vector<int64_t> all;
  for (int i = 0; i < batch; ++i) {
    const int length = min_len + static_cast<int>(rng() % static_cast<uint64_t>(max_len - min_len + 1));
    std::vector<int32_t> ids(static_cast<size_t>(length));
    for (auto& id : ids) id = static_cast<int32_t>(5 + rng() % static_cast<uint64_t>(config.vocab_size - 5));
    set.type_ids.push_back(std::vector<int32_t>(ids.size(), 0));
    set.ids.push_back(std::move(ids));
    set.labels.push_back(static_cast<int64_t>(rng() % 2));
    all.push_back(i);
  }
  return collate(set, all);
}

void use_run_thread_layout() {
  const char* env = std::getenv("GREENBENCH_THREADS");
  set_thread_budget(env ? std::atoi(env) : 2);
  apply_thread_layout(Precision::fp32);
}

}  // namespace greenbench::microbench
