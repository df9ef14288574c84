// Unstructured global magnitude pruning: the smallest |w| of the encoder's
// Linear weights (Q, K, V, attention output, intermediate, output) set to 0
// across all layers at once. The tensors keep their shape, so dense kernels
// still multiply the zeros: sparsity without speed-up.
#pragma once

#include <cstdint>

#include "greenbench/bert/bert.h"

namespace greenbench {

/// Zeroes the `sparsity` share (in [0, 1)) of the encoder Linear weights with
/// the smallest magnitude, in place; returns how many were zeroed.
int64_t magnitude_prune_encoder(BertClassifier& model, double sparsity);

/// Nonzero values over all of the model's parameters.
int64_t nonzero_parameter_count(const BertClassifier& model);

}  // namespace greenbench
