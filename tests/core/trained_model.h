// One tiny 4-layer model with an exit at every layer, trained on the noisy
// synthetic task and calibrated, shared by the early-exit and oracle tests
// (trained once per process, on first use).
#pragma once

#include <vector>

#include "core_fixtures.h"
#include "train/calibration.h"
#include "train/trainer.h"

namespace greenbench::core_test {

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
    // 15% label noise: the model learns the task only partly, so calibrated
    // confidences spread out and thresholds split the instances across exits.
    t.train = synthetic_set(3200, 101, 120, 5, 40, 0.15);
    t.calibration = synthetic_set(400, 202, 120, 5, 40, 0.15);
    t.test = synthetic_set(300, 303, 120, 5, 40, 0.15);
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
