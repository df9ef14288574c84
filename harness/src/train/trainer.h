// Fine-tuning a BertClassifier: AdamW with linear warm-up and decay, gradient
// clipping, length-bucketed dynamic padding, and the multi-exit loss (the sum
// of every exit's cross-entropy, as in Schwartz et al. 2020).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/batching.h"
#include "model/bert.h"

namespace greenbench {

struct TrainOptions {
  double epochs = 3;
  int batch_size = 32;
  double learning_rate = 5e-4;
  double warmup_fraction = 0.1;  ///< share of steps with linearly rising learning rate
  double weight_decay = 0.01;    ///< not applied to biases and LayerNorm weights
  double max_grad_norm = 1.0;
  uint64_t seed = 13;
  /// Loss weight per exit (empty: all 1, the paper's unweighted sum).
  std::vector<double> exit_loss_weights;
  std::string progress_label = "train";

  nlohmann::json to_json() const;
  /// Applies the keys present in `j` on top of the current values.
  void update_from_json(const nlohmann::json& j);
};

struct TrainStats {
  int64_t steps = 0, examples = 0, tokens = 0;
  double seconds = 0, cpu_seconds = 0;
  double final_loss = 0;  ///< mean loss over the last 10% of steps
  nlohmann::json to_json() const;
};

/// Trains `model` in place. Deterministic for the same seed and thread count.
TrainStats train_classifier(BertClassifier& model, const EncodedSet& train, const TrainOptions& options);

/// Logits [N,C] of every exit over the whole set, in the set's order (eval mode, no grad).
std::vector<torch::Tensor> exit_logits_all(BertClassifier& model, const EncodedSet& set, int batch_size = 64);

}  // namespace greenbench
