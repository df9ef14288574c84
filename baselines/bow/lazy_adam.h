// Adam for an embedding table with sparse gradients, applied lazily as
// PyTorch's SparseAdam does: only the rows a batch touched are updated, so a
// step costs the batch's n-grams, not the 2^20-row table. The update is
// torch.optim.Adam's (eps outside the bias-corrected root); bias correction
// counts every step. Rows a batch does not touch keep their moments instead
// of decaying them, so this is not dense Adam; on rows touched every step the
// two agree.
#pragma once

#include <torch/torch.h>

namespace greenbench {

class LazyAdam {
 public:
  /// `table` is [rows, dim]; its gradient must be sparse (EmbeddingBag with sparse(true)).
  LazyAdam(torch::Tensor table, double lr, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8);
  void set_lr(double lr) { lr_ = lr; }
  /// One update from table.grad(); a table without a gradient is left alone.
  void step();

 private:
  torch::Tensor table_, exp_avg_, exp_avg_sq_;
  double lr_, beta1_, beta2_, eps_;
  int64_t steps_ = 0;
};

}  // namespace greenbench
