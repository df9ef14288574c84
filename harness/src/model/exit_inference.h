// Batched early-exit inference: run the encoder one layer at a time; after
// each exit, the instances whose rule fires leave the batch, and the batch is
// re-padded to its longest remaining instance, so the remaining work shrinks.
// Every instance's result equals running it alone (batch size 1).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "data/batching.h"
#include "greenbench/method.h"
#include "model/bert.h"

namespace greenbench {

/// Decides, after an exit, which of the still-running instances stop there.
class ExitRule {
 public:
  virtual ~ExitRule() = default;
  /// probs: calibrated probabilities [b,C] of the active instances at exit
  /// `exit_index`; rows: their row numbers in the original batch [b].
  /// Returns bool [b], true where the instance exits now.
  virtual torch::Tensor should_exit(int exit_index, const torch::Tensor& probs, const torch::Tensor& rows) = 0;
};

/// Schwartz et al. 2020: exit when the calibrated max probability reaches the
/// threshold. A threshold of 1 or more means full depth for every instance.
class ConfidenceRule : public ExitRule {
 public:
  explicit ConfidenceRule(double threshold) : threshold_(threshold) {}
  torch::Tensor should_exit(int exit_index, const torch::Tensor& probs, const torch::Tensor& rows) override;

 private:
  double threshold_;
};

/// The thresholds of `thresholds` that give distinct operating points with
/// `num_labels` labels, in their order: a top probability is at least
/// 1/labels, so every threshold at or below that sends every instance out at
/// the first exit; the largest of those stands for all. Repeats are dropped.
std::vector<double> distinct_confidence_thresholds(const std::vector<double>& thresholds, int num_labels);

/// DeeBERT (Xin et al. 2020): exit when the entropy of the calibrated
/// probabilities falls below the threshold. The entropy is divided by ln C
/// (FastBERT's normalised form), so one threshold grid in [0, 1] fits tasks
/// with any number of labels; the curve is the same as with raw entropy.
class EntropyRule : public ExitRule {
 public:
  explicit EntropyRule(double threshold) : threshold_(threshold) {}
  torch::Tensor should_exit(int exit_index, const torch::Tensor& probs, const torch::Tensor& rows) override;

 private:
  double threshold_;
};

/// PABEE (Zhou et al. 2020): a counter per instance rises by one when an
/// exit's label equals the previous exit's and resets to 0 when it differs;
/// the instance leaves once the counter reaches the patience. Patience 0
/// leaves at the first exit. State is kept per original row, so it is
/// per batch: make one rule per predict_with_exits call.
class PatienceRule : public ExitRule {
 public:
  PatienceRule(int patience, int64_t batch_size);
  torch::Tensor should_exit(int exit_index, const torch::Tensor& probs, const torch::Tensor& rows) override;

 private:
  int patience_;
  std::vector<int64_t> previous_label_;
  std::vector<int> counter_;
};

/// Runs `batch` through `model`, fills out[i] for batch row i. temperatures
/// has one entry per exit (1.0: uncalibrated). The last exit always answers.
void predict_with_exits(BertClassifier& model, const Batch& batch, const std::vector<double>& temperatures,
                        ExitRule& rule, std::vector<Prediction>& out);

}  // namespace greenbench
