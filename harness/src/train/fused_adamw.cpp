#include "greenbench/bert/fused_adamw.h"

#include <ATen/Parallel.h>

#include <cmath>

#include "greenbench/error.h"

namespace greenbench {

FusedAdamW::FusedAdamW(std::vector<Group> groups, double beta1, double beta2, double eps)
    : beta1_(beta1), beta2_(beta2), eps_(eps) {
  for (auto& group : groups) {
    for (auto& p : group.params) {
      if (p.scalar_type() != torch::kFloat || !p.is_contiguous()) {
        throw Error("FusedAdamW needs contiguous fp32 parameters");
      }
      slots_.push_back({p, torch::zeros_like(p), torch::zeros_like(p), group.weight_decay});
    }
  }
}

void FusedAdamW::zero_grad() {
  for (auto& slot : slots_) {
    auto& grad = slot.param.mutable_grad();
    if (grad.defined()) grad.zero_();
  }
}

void FusedAdamW::step(double lr) {
  torch::NoGradGuard no_grad;
  ++step_;
  const double bias_correction1 = 1 - std::pow(beta1_, static_cast<double>(step_));
  const double bias_correction2 = 1 - std::pow(beta2_, static_cast<double>(step_));
  const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_);
  const float one_minus_b1 = static_cast<float>(1 - beta1_), one_minus_b2 = static_cast<float>(1 - beta2_);
  const float inv_sqrt_bc2 = static_cast<float>(1 / std::sqrt(bias_correction2));
  const float eps = static_cast<float>(eps_);
  const float step_size = static_cast<float>(lr / bias_correction1);
  for (auto& slot : slots_) {
    const auto& grad_tensor = slot.param.grad();
    if (!grad_tensor.defined()) continue;
    auto grad = grad_tensor.contiguous();
    const float decay = static_cast<float>(1 - lr * slot.weight_decay);
    float* p = slot.param.data_ptr<float>();
    float* m = slot.exp_avg.data_ptr<float>();
    float* v = slot.exp_avg_sq.data_ptr<float>();
    const float* g = grad.data_ptr<float>();
    at::parallel_for(0, slot.param.numel(), 1 << 15, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const float gi = g[i];
        const float mi = m[i] * b1 + gi * one_minus_b1;
        const float vi = v[i] * b2 + gi * gi * one_minus_b2;
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i] * decay - step_size * mi / (std::sqrt(vi) * inv_sqrt_bc2 + eps);
      }
    });
  }
}

}  // namespace greenbench
