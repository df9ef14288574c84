// Shallower models made of chosen layers of a deeper one: LayerDrop's pruning
// at inference (Fan et al. 2020) and a distilled student's initialisation
// (DistilBERT takes every other teacher layer).
#pragma once

#include <vector>

#include "greenbench/bert/bert.h"

namespace greenbench {

/// The `keep` of `total` layers (0-based, increasing) that pruning keeps:
/// the i-th kept layer is ceil((i+1) * total / keep) - 1, so they are spread
/// evenly and the top layer, the one the classifier was trained on, is always
/// kept. 4 -> 2 keeps {1, 3} (every other layer), 4 -> 3 {1, 2, 3}, 12 -> 6
/// {1, 3, 5, 7, 9, 11}, L -> 1 {L-1}, L -> L every layer. Throws
/// std::invalid_argument unless 1 <= keep <= total.
std::vector<int> evenly_spaced_layers(int total, int keep);

/// A new classifier (eval mode) made of `layers` of `source` (0-based,
/// strictly increasing), in that order: embeddings, pooler and the last exit
/// (with its own pooler where exits have their own) copied, one exit after
/// its last layer. Pruned layer shapes (per-layer heads and widths) come
/// along. Running it equals running those layers of `source` and its last exit. Throws std::invalid_argument on a bad list.
BertClassifier layer_subset(const BertClassifier& source, const std::vector<int>& layers);

}  // namespace greenbench
