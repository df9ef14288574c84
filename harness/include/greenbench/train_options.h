// The training settings the harness hands a method (MethodContext::train_options):
// the suite's defaults, which a method may override from its config.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace greenbench {

/// What fine-tuning and pretraining share: AdamW with BERT's schedule.
struct OptimizerOptions {
  double epochs = 3;
  int batch_size = 32;
  double learning_rate = 5e-4;
  double warmup_fraction = 0.1;  ///< share of steps with linearly rising learning rate
  double weight_decay = 0.01;    ///< not applied to biases and LayerNorm weights
  double max_grad_norm = 1.0;
  uint64_t seed = 13;

 protected:
  void add_to_json(nlohmann::json& j) const;
  void update_from_json(const nlohmann::json& j);
};

struct TrainOptions : OptimizerOptions {
  /// Loss weight per exit (empty: all 1, the paper's unweighted sum).
  std::vector<double> exit_loss_weights;
  /// "auto", "fp32" or "bf16" (see greenbench/bert/precision.h); evaluation stays fp32.
  std::string precision = "auto";
  /// Keep the weights of the epoch with the best mean exit accuracy on the
  /// selection set (the calibration role), when one is given.
  bool select_best_epoch = true;
  /// LayerDrop (Fan et al. 2020): each training step skips each encoder layer
  /// with this probability, drawn from a generator seeded by `seed`. 0: no
  /// draws at all, so training is exactly the plain one.
  double layerdrop = 0;
  std::string progress_label = "train";

  nlohmann::json to_json() const;
  /// Applies the keys present in `j` on top of the current values.
  void update_from_json(const nlohmann::json& j);
};

}  // namespace greenbench
