#include "measure/flops.h"

#include <algorithm>

namespace greenbench {

double encoder_layer_flops(const BertConfig& c, int seq_len, int layer) {
  const double s = seq_len, h = c.hidden_size;
  const double inner = static_cast<double>(c.heads_in(layer)) * c.head_dim();
  const double inter = c.intermediate_in(layer);
  return 8.0 * s * h * inner + 4.0 * s * s * inner + 4.0 * s * h * inter;
}

double exit_head_flops(const BertConfig& c, int seq_len) {
  const double h = c.hidden_size;
  const double pooling = c.pooling == "mean" ? static_cast<double>(seq_len) * h : 0.0;
  return pooling + 2.0 * h * h + 2.0 * h * c.num_labels;
}

double instance_flops(const BertConfig& c, int seq_len, int layers_run, int exits_evaluated) {
  double total = exits_evaluated * exit_head_flops(c, seq_len);
  const int layers = std::min(layers_run, c.num_hidden_layers);
  for (int layer = 0; layer < layers; ++layer) total += encoder_layer_flops(c, seq_len, layer);
  return total;
}

double ngram_count(int seq_len, int max_ngram) {
  double count = 0;
  for (int n = 1; n <= max_ngram; ++n) count += std::max(0, seq_len - n + 1);
  return count;
}

double bag_of_ngrams_flops(const BagOfNgramsShape& shape, int seq_len) {
  const double dim = shape.embedding_dim;
  return ngram_count(seq_len, shape.max_ngram) * dim + 2.0 * dim * shape.num_labels;
}

double instance_flops(const ModelShape& shape, int seq_len, int layers_run, int exits_evaluated) {
  switch (shape.kind) {
    case ModelShape::Kind::bag_of_ngrams:
      return bag_of_ngrams_flops(shape.bag_of_ngrams, seq_len);
    case ModelShape::Kind::bert:
      break;
  }
  return instance_flops(shape.bert, seq_len, layers_run, exits_evaluated);
}

}  // namespace greenbench
