// Fine-tuning a BertClassifier: AdamW with linear warm-up and decay, gradient
// clipping, length-bucketed dynamic padding, and the multi-exit loss (the sum
// of every exit's cross-entropy, as in Schwartz et al. 2020).
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "greenbench/batch.h"
#include "greenbench/bert/bert.h"
#include "greenbench/bert/fused_adamw.h"
#include "greenbench/bert/precision.h"
#include "greenbench/train_options.h"

namespace greenbench {

struct TrainStats {
  int64_t steps = 0, examples = 0, tokens = 0;
  double seconds = 0, cpu_seconds = 0;
  double final_loss = 0;  ///< mean loss over the last 10% of steps
  std::string precision;  ///< what training ran in, "auto" resolved
  std::vector<double> selection_accuracy;  ///< mean exit accuracy on the selection set after each epoch
  int selected_epoch = 0;                  ///< 1-based; 0 when no selection was made
  nlohmann::json to_json() const;
};

/// BERT's schedule: linear warm-up to `peak` over the first warmup_fraction
/// of `total` steps, then linear decay to zero.
double scheduled_lr(double peak, double warmup_fraction, int64_t step, int64_t total);

/// Biases and LayerNorm weights get no weight decay (BERT's rule).
bool skips_weight_decay(const std::string& name);

/// Replaces the multi-exit cross-entropy when set (distillation): the batch's
/// loss from the model's forward result, called under the step's autocast.
struct LossHook {
  std::function<torch::Tensor(const Batch& batch, const ForwardResult& result)> loss;
  bool needs_hidden = false;  ///< the forward result must carry every layer's output
};

/// One optimisation step at a time: the multi-exit loss (weighted sum of the
/// exits' cross-entropies), backward, gradient clipping and AdamW, under bf16
/// autocast when asked. The model must be in training mode.
class TrainingStep {
 public:
  TrainingStep(BertClassifier& model, const TrainOptions& options, Precision precision, LossHook hook = {});
  /// Updates the model on `batch` at learning rate `lr`; returns the loss before the update.
  double run(const Batch& batch, double lr);

 private:
  /// This step's LayerDrop draw (empty when layerdrop is 0).
  std::vector<bool> draw_skipped_layers();

  BertClassifier model_;
  FusedAdamW optimizer_;
  std::vector<double> weights_;
  double max_grad_norm_;
  Precision precision_;
  LossHook hook_;
  double layerdrop_;
  std::mt19937_64 layer_rng_;  // its own stream: LayerDrop leaves batch order and dropout untouched
};

/// Trains `model` in place. Deterministic for the same seed and thread count.
/// With a `selection` set and options.select_best_epoch, the model ends with
/// the weights of its best epoch on that set.
/// `hook`, when set, replaces the multi-exit loss (see LossHook).
TrainStats train_classifier(BertClassifier& model, const EncodedSet& train, const TrainOptions& options,
                            const EncodedSet* selection = nullptr, const LossHook& hook = {});

/// Mean over exits of each exit's accuracy on `set` (eval mode, no grad).
double mean_exit_accuracy(BertClassifier& model, const EncodedSet& set);

/// Logits [N,C] of every exit over the whole set, in the set's order (eval mode, no grad).
std::vector<torch::Tensor> exit_logits_all(BertClassifier& model, const EncodedSet& set, int batch_size = 64);

}  // namespace greenbench
