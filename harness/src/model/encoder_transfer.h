// Starting a classifier from a pretrained encoder: its embeddings and first
// layers, as the paper's truncated baselines start from BERT's first k layers.
#pragma once

#include "greenbench/bert/bert.h"

namespace greenbench {

/// Copies `source`'s embeddings and first layers into `target` (as many layers
/// as `target` has); `target`'s pooler stays as it is, since masked-language
/// pretraining does not train one. Throws std::invalid_argument, naming the
/// parameter, when `target` is deeper than `source` or a shape differs.
/// Returns the number of tensors copied.
int copy_encoder_layers(const BertModel& source, BertModel& target);

}  // namespace greenbench
