#include "lazy_adam.h"

#include <cmath>

#include "greenbench/error.h"

namespace greenbench {

LazyAdam::LazyAdam(torch::Tensor table, double lr, double beta1, double beta2, double eps)
    : table_(std::move(table)),
      exp_avg_(torch::zeros_like(table_)),
      exp_avg_sq_(torch::zeros_like(table_)),
      lr_(lr), beta1_(beta1), beta2_(beta2), eps_(eps) {}

void LazyAdam::step() {
  const torch::Tensor& grad = table_.grad();
  if (!grad.defined()) return;
  if (!grad.is_sparse()) throw Error("LazyAdam needs a sparse gradient (an EmbeddingBag with sparse(true))");
  torch::NoGradGuard no_grad;
  // Coalescing sums the gradient of a row that occurs several times.
  const torch::Tensor g = grad.coalesce();
  const torch::Tensor rows = g.indices()[0];
  const torch::Tensor values = g.values();
  ++steps_;
  torch::Tensor m = exp_avg_.index_select(0, rows).mul_(beta1_).add_(values, 1 - beta1_);
  torch::Tensor v = exp_avg_sq_.index_select(0, rows).mul_(beta2_).addcmul_(values, values, 1 - beta2_);
  exp_avg_.index_copy_(0, rows, m);
  exp_avg_sq_.index_copy_(0, rows, v);
  const double correction1 = 1 - std::pow(beta1_, static_cast<double>(steps_));
  const double correction2 = 1 - std::pow(beta2_, static_cast<double>(steps_));
  // torch.optim.Adam's form: p -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps).
  const torch::Tensor update = m.div_(v.sqrt_().div_(std::sqrt(correction2)).add_(eps_)).mul_(-lr_ / correction1);
  table_.index_add_(0, rows, update);
}

}  // namespace greenbench
