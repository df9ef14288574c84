#include "measure/flops.h"

namespace greenbench {

double encoder_layer_flops(const BertConfig& c, int seq_len) {
  const double s = seq_len, h = c.hidden_size, inter = c.intermediate_size;
  return 8.0 * s * h * h + 4.0 * s * s * h + 4.0 * s * h * inter;
}

double exit_head_flops(const BertConfig& c, int seq_len) {
  const double h = c.hidden_size;
  const double pooling = c.pooling == "mean" ? static_cast<double>(seq_len) * h : 0.0;
  return pooling + 2.0 * h * h + 2.0 * h * c.num_labels;
}

double instance_flops(const BertConfig& c, int seq_len, int layers_run, int exits_evaluated) {
  return layers_run * encoder_layer_flops(c, seq_len) + exits_evaluated * exit_head_flops(c, seq_len);
}

}  // namespace greenbench
