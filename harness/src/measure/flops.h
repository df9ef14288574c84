// Analytic FLOPs of the path an instance took, counted by the harness.
// Convention: a multiply-add is 2 FLOPs; matrix products are counted
// (projections, attention scores and weighted sums, feed-forward, pooler,
// classifiers); element-wise work (LayerNorm, softmax, GELU, embedding sums)
// is not, as in Schwartz et al. and ELUE, and is under 2% of the total here.
// The one exception is a bag-of-n-grams model, whose whole work is an
// embedding sum: there each added element counts 1 FLOP.
#pragma once

#include "greenbench/bert_config.h"
#include "greenbench/model_shape.h"

namespace greenbench {

/// Encoder layer `layer` over a sequence of seq_len real tokens, with a heads
/// of width d and a feed-forward width I: 6*s*h*(a*d) (Q, K, V) + 2*s*(a*d)*h
/// (output) + 4*s^2*(a*d) (scores, weighted sum) + 4*s*h*I. Unpruned
/// (a*d = h): 8*s*h^2 + 4*s^2*h + 4*s*h*I.
double encoder_layer_flops(const BertConfig& config, int seq_len, int layer = 0);

/// One exit head: pooler 2*h^2 (+ s*h adds for mean pooling) + classifier 2*h*C.
double exit_head_flops(const BertConfig& config, int seq_len);

/// An instance that ran the first `layers_run` layers and evaluated `exits_evaluated` heads.
double instance_flops(const BertConfig& config, int seq_len, int layers_run, int exits_evaluated);

/// Number of word-piece n-grams (n = 1..max_ngram) in a sequence of seq_len pieces.
double ngram_count(int seq_len, int max_ngram);

/// Bag of n-grams over seq_len pieces: one add per n-gram and embedding
/// element (the average), plus the linear layer 2*dim*C.
double bag_of_ngrams_flops(const BagOfNgramsShape& shape, int seq_len);

/// Any shape: dispatches on its kind (layers_run and exits_evaluated matter for BERT only).
double instance_flops(const ModelShape& shape, int seq_len, int layers_run, int exits_evaluated);

}  // namespace greenbench
