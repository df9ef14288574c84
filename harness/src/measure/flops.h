// Analytic FLOPs of the path an instance took, counted by the harness.
// Convention: a multiply-add is 2 FLOPs; matrix products are counted
// (projections, attention scores and weighted sums, feed-forward, pooler,
// classifiers); element-wise work (LayerNorm, softmax, GELU, embedding sums)
// is not, as in Schwartz et al. and ELUE, and is under 2% of the total here.
#pragma once

#include "model/bert_config.h"

namespace greenbench {

/// One encoder layer over a sequence of seq_len real tokens:
/// 8*s*h^2 (Q, K, V, output) + 4*s^2*h (scores, weighted sum) + 4*s*h*I (feed-forward).
double encoder_layer_flops(const BertConfig& config, int seq_len);

/// One exit head: pooler 2*h^2 (+ s*h adds for mean pooling) + classifier 2*h*C.
double exit_head_flops(const BertConfig& config, int seq_len);

/// An instance that ran `layers_run` layers and evaluated `exits_evaluated` heads.
double instance_flops(const BertConfig& config, int seq_len, int layers_run, int exits_evaluated);

}  // namespace greenbench
