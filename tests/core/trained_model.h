// One tiny 4-layer model with an exit at every layer, trained on the noisy
// synthetic task and calibrated, shared by the early-exit and oracle tests
// (trained once per process, on first use).
#pragma once

#include <random>
#include <vector>

#include "core_fixtures.h"
#include "greenbench/bert/calibration.h"
#include "greenbench/bert/trainer.h"

namespace greenbench::core_test {

/// A task with easy and hard instances, so that confidence (and the exit an
/// instance needs) varies: label 1 holds either token 9 (easy: one token
/// decides) or the bigram "7 8" (hard: order matters); label 0 holds the
/// bigram "8 7". 5% of labels are flipped.
inline EncodedSet graded_set(size_t n, uint64_t seed, int vocab = 120) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> length(6, 40);
  std::uniform_int_distribution<int32_t> filler(10, vocab - 1);
  std::bernoulli_distribution coin(0.5), flip(0.05);
  EncodedSet set;
  for (size_t i = 0; i < n; ++i) {
    const int len = length(rng);
    std::vector<int32_t> ids(static_cast<size_t>(len));
    ids.front() = kCls;
    ids.back() = kSep;
    for (int t = 1; t + 1 < len; ++t) ids[static_cast<size_t>(t)] = filler(rng);
    const bool positive = coin(rng);
    std::uniform_int_distribution<int> where(1, len - 3);
    const size_t at = static_cast<size_t>(where(rng));
    if (positive && coin(rng)) {
      ids[at] = 9;
    } else {
      ids[at] = positive ? 7 : 8;
      ids[at + 1] = positive ? 8 : 7;
    }
    int64_t label = positive ? 1 : 0;
    if (flip(rng)) label = 1 - label;
    set.type_ids.emplace_back(ids.size(), 0);
    set.ids.push_back(std::move(ids));
    set.labels.push_back(label);
  }
  return set;
}

struct TrainedExitModel {
  BertClassifier model{nullptr};
  EncodedSet train, calibration, test;
  std::vector<double> temperatures;
  TrainStats stats;
};

inline TrainedExitModel& trained_exit_model() {
  static TrainedExitModel m = [] {
    single_thread();
    TrainedExitModel t;
    // Easy and hard instances plus label noise: the model learns the task
    // only partly, so calibrated confidences spread out and thresholds split
    // the instances across exits.
    t.train = graded_set(3200, 101);
    t.calibration = graded_set(400, 202);
    t.test = graded_set(300, 303);
    torch::manual_seed(5);
    t.model = BertClassifier(tiny_config(4, 64, 120));
    TrainOptions options;
    options.epochs = 3;  // 300 steps
    options.batch_size = 32;
    options.learning_rate = 1e-3;
    options.seed = 5;
    options.progress_label = "core test train";
    t.stats = train_classifier(t.model, t.train, options);
    auto labels = torch::tensor(t.calibration.labels, torch::kLong);
    for (const auto& c : calibrate_exits(exit_logits_all(t.model, t.calibration), labels)) t.temperatures.push_back(c.temperature);
    t.model->eval();
    return t;
  }();
  return m;
}

}  // namespace greenbench::core_test
