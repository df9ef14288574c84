// Shared helpers for the core tests: tiny model shapes, a learnable synthetic
// task as an EncodedSet (no tokenizer needed), temp folders, and a one-thread
// setup so the tests behave the same on any machine and leave the other core
// alone.
#pragma once

#include <torch/torch.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/batching.h"
#include "greenbench/bert/bert.h"
#include "greenbench/bert_config.h"
#include "measure/blas_info.h"
#include "run/runner.h"
#include "support/temp_dir.h"
#include "util/progress.h"

namespace greenbench::core_test {

/// One thread for LibTorch's pool and one for the BLAS, so results do not
/// depend on the machine's core count, and no progress bars. Called by every
/// test that runs a model.
inline void single_thread() {
  static const bool done = [] {
    torch::set_num_threads(1);
    set_blas_threads(1);
    ProgressBar::set_enabled(false);
    return true;
  }();
  (void)done;
}

/// A small BERT: `layers` layers of width `hidden`, exits where asked (every layer by default).
inline BertConfig tiny_config(int layers = 4, int hidden = 64, int vocab = 120, std::vector<int> exits = {},
                              const std::string& pooling = "mean", int num_labels = 2) {
  BertConfig c;
  c.vocab_size = vocab;
  c.hidden_size = hidden;
  c.num_hidden_layers = layers;
  c.num_attention_heads = 4;
  c.intermediate_size = 2 * hidden;
  c.max_position_embeddings = 64;
  c.num_labels = num_labels;
  c.pooling = pooling;
  if (exits.empty()) {
    for (int i = 0; i < layers; ++i) exits.push_back(i);
  }
  c.exit_layers = exits;
  return c;
}

constexpr int32_t kCls = 2, kSep = 3, kSignal = 7;

/// The synthetic task: label 1 iff token 7 occurs (each label half the time),
/// lengths uniform in [min_len, max_len] with [CLS] ... [SEP] around uniform
/// filler tokens in [8, vocab). `noise` flips that share of labels, so a model
/// can learn the task only partly and its confidence varies.
inline EncodedSet synthetic_set(size_t n, uint64_t seed, int vocab = 120, int min_len = 5, int max_len = 40,
                                double noise = 0.0) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> length(min_len, max_len);
  std::uniform_int_distribution<int32_t> filler(8, vocab - 1);
  std::bernoulli_distribution coin(0.5), flip(noise);
  EncodedSet set;
  for (size_t i = 0; i < n; ++i) {
    const int len = length(rng);
    std::vector<int32_t> ids(static_cast<size_t>(len));
    ids.front() = kCls;
    ids.back() = kSep;
    for (int t = 1; t + 1 < len; ++t) ids[static_cast<size_t>(t)] = filler(rng);
    const bool positive = coin(rng);
    if (positive) {
      std::uniform_int_distribution<int> where(1, len - 2);
      ids[static_cast<size_t>(where(rng))] = kSignal;
    }
    int64_t label = positive ? 1 : 0;
    if (flip(rng)) label = 1 - label;
    set.type_ids.emplace_back(ids.size(), 0);
    set.ids.push_back(std::move(ids));
    set.labels.push_back(label);
  }
  return set;
}

using testing::TempDir;
/// Writes `content` to `path`, creating parent folders.
inline void write_text(const std::string& path, const std::string& content) { testing::write_file(path, content); }

/// An SST-2 TSV (header sentence<TAB>label), alternating labels: "good ..." / "bad ..." sentences,
/// the sentiment word at a random place among filler words.
inline std::string sst2_file(size_t rows, uint64_t seed) {
  static const char* filler[] = {"the", "movie", "plot", "was", "a", "film", "story", "acting",
                                 "really", "quite", "very", "and", "this", "it", "is", "of"};
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> words(3, 12), pick(0, 15);
  std::string out = "sentence\tlabel\n";
  for (size_t i = 0; i < rows; ++i) {
    const bool positive = i % 2 == 0;
    const int n = words(rng);
    std::uniform_int_distribution<int> where(0, n - 1);
    const int at = where(rng);
    std::string sentence;
    for (int w = 0; w < n; ++w) {
      if (!sentence.empty()) sentence += ' ';
      sentence += w == at ? (positive ? "good" : "bad") : filler[pick(rng)];
    }
    out += sentence + " \t" + (positive ? "1" : "0") + "\n";
  }
  return out;
}

/// Settings for a whole run on a tiny SST-2-format fixture (200 train, 60 dev
/// sentences) with a 2-layer tiny model: seconds per method on one thread.
struct SmallRun {
  TempDir dir{"runner"};
  RunSettings settings;
  SmallRun() {
    single_thread();
    ProgressBar::set_enabled(false);
    write_text(dir / "data/sst2/train.tsv", sst2_file(200, 1));
    write_text(dir / "data/sst2/dev.tsv", sst2_file(60, 2));
    settings.data_root = dir / "data";
    settings.results_dir = dir / "results";
    settings.cache_dir = dir / "cache";
    settings.model_size = "tiny";
    settings.num_layers = 2;
    settings.max_len = 32;
    settings.vocab_size = 200;
    settings.eval_batch_size = 16;
    settings.threads = 1;
    settings.seed = 13;
    settings.train.epochs = 2;
    settings.train.batch_size = 16;
    settings.train.seed = 13;
    settings.roles.seed = 13;
    settings.suite = "core-test";
  }
};

/// Every parameter of `a` equals (bit for bit) the same-named one of `b`.
inline bool same_parameters(const torch::nn::Module& a, const torch::nn::Module& b) {
  auto pa = a.named_parameters(), pb = b.named_parameters();
  if (pa.size() != pb.size()) return false;
  for (const auto& item : pa) {
    const torch::Tensor* other = pb.find(item.key());
    if (!other || !torch::equal(item.value(), *other)) return false;
  }
  return true;
}

}  // namespace greenbench::core_test
