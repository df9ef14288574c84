// The exit rules of early exit: after each exit, which of the still-running
// instances leave there. Confidence is the paper's (Schwartz et al. 2020);
// entropy (DeeBERT) and patience (PABEE) are its peers, run on the same
// trained model so that the curves compare the rules alone. The engine that
// runs them is greenbench/bert/exit_engine.h.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "greenbench/bert/exit_engine.h"

namespace greenbench {

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

}  // namespace greenbench
