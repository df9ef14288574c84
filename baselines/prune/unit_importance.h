// Importance of attention heads and feed-forward neurons (Michel, Levy and
// Neubig 2019, "Are Sixteen Heads Really Better than One?"): a gate xi = 1
// multiplies each head's context and each neuron's activation, and a unit's
// importance is the mean over instances of |dL/dxi|, L the sum of the exits'
// cross-entropies. For a neuron this is the first-order Taylor estimate
// |sum over tokens of activation x gradient| of the loss change when it is
// removed. Also the pruning schedule built on it.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "baselines/prune/structured_prune.h"
#include "data/batching.h"
#include "greenbench/bert/bert.h"

namespace greenbench {

/// Per encoder layer, one score per head ([heads]) and per neuron ([width]).
struct UnitImportance {
  std::vector<torch::Tensor> heads, neurons;
};

/// Mean |dL/dxi| per unit over the first `max_examples` instances of `set`
/// (all when <= 0), with the units outside `keep` gated to 0 (their scores are
/// 0). Runs in eval mode (no dropout) and fp32; leaves no gate set and no
/// gradient on the model's parameters.
UnitImportance unit_importance(BertClassifier& model, const EncodedSet& set, const UnitKeep& keep,
                               int batch_size = 32, int64_t max_examples = 0);

/// Each layer's scores divided by their L2 norm (Michel et al. normalise head
/// scores per layer before ranking globally; neurons get the same treatment).
UnitImportance normalised_per_layer(const UnitImportance& importance);

/// From `keep`, removes the `heads` and `neurons` globally least important of
/// the kept units, never a layer's last head or last neuron.
UnitKeep drop_least_important(const UnitKeep& keep, const UnitImportance& importance, int heads, int64_t neurons);

/// Michel et al.'s iterative pruning: repeatedly score the units still kept,
/// normalise per layer, and drop the least important `step` share of all heads
/// and of all neurons, until each ratio in `ratios` (share of heads and of
/// neurons removed, ascending, in [0, 1)) is reached; returns the kept units
/// at each ratio, in the order of `ratios`.
struct PruneSchedule {
  std::vector<UnitKeep> keeps;
  int importance_passes = 0;
};
PruneSchedule iterative_prune_schedule(BertClassifier& model, const EncodedSet& set, const std::vector<double>& ratios,
                                       double step = 0.1, int batch_size = 32, int64_t max_examples = 0);

}  // namespace greenbench
