// The exit engine: batched inference through a model with several exits.
// The encoder runs one layer at a time; after each exit, the instances whose
// rule fires leave the batch, and the batch is re-padded to its longest
// remaining instance, so the remaining work shrinks. Every instance's result
// equals running it alone (batch size 1). The rules themselves belong to the
// methods (methods/early_exit/exit_rules.h); here is only the interface and
// the rule that never leaves early.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "greenbench/batch.h"
#include "greenbench/bert/bert.h"
#include "greenbench/method.h"

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

/// Never leaves early: every instance runs to the last exit, which always
/// answers. What a model with one exit, or a baseline that does not exit
/// early, answers with.
class LastExitRule : public ExitRule {
 public:
  torch::Tensor should_exit(int exit_index, const torch::Tensor& probs, const torch::Tensor& rows) override;
};

/// Runs `batch` through `model`, fills out[i] for batch row i. temperatures
/// has one entry per exit (1.0: uncalibrated). The last exit always answers.
void predict_with_exits(BertClassifier& model, const Batch& batch, const std::vector<double>& temperatures,
                        ExitRule& rule, std::vector<Prediction>& out);

}  // namespace greenbench
