// Structured pruning of a BertClassifier: removing attention heads and
// feed-forward neurons physically, so the pruned model is a smaller model
// (config.layer_heads / layer_intermediate) whose matrix products shrink, and
// masking the same units with the forward's gates, which is what the physical
// model must reproduce exactly.
#pragma once

#include <vector>

#include "greenbench/bert/bert.h"

namespace greenbench {

/// Per encoder layer, the heads and the feed-forward neurons that stay (0-based
/// indices into that layer's current heads and intermediate width).
struct UnitKeep {
  std::vector<std::vector<int>> heads, neurons;

  /// Everything in `config` kept.
  static UnitKeep all(const BertConfig& config);
  int total_heads() const;
  int64_t total_neurons() const;
};

/// A new, smaller BertClassifier holding only the kept units: the rows of
/// Q/K/V (and their biases) of the kept heads, the matching columns of the
/// attention output, the kept rows of the intermediate dense and the matching
/// columns of the feed-forward output; everything else copied. In eval mode.
/// Throws greenbench::Error when `keep` does not fit the model (a layer with
/// no head or no neuron, an index out of range or repeated).
BertClassifier prune_structured(const BertClassifier& model, const UnitKeep& keep);

/// Sets every layer's head and neuron gates to 1 for kept units and 0 for the
/// others ([heads] and [width] tensors): the full model then computes what
/// prune_structured's model computes.
void set_unit_gates(BertClassifier& model, const UnitKeep& keep);
/// Removes every gate: the forward is the plain one again.
void clear_unit_gates(BertClassifier& model);

}  // namespace greenbench
