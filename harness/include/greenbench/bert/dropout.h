// Dropout whose mask comes from a counter-based hash, filled in parallel.
// Debian's LibTorch (no MKL) draws bernoulli_ serially from MT19937: measured
// 94 of 318 ms of a bf16 training step of the 4 x 256 model at batch 32 x 64
// (LibTorch's profiler over one step). The mask depends only on
// a seed drawn from LibTorch's generator and the element index, so it is the
// same for any thread count and reproducible under torch::manual_seed.
#pragma once

#include <torch/torch.h>

namespace greenbench {

/// x scaled by 1/(1-p) where kept and zeroed elsewhere (each element
/// independently with probability p); x itself when not training or p == 0.
torch::Tensor hashed_dropout(const torch::Tensor& x, double p, bool training);

struct HashedDropoutImpl : torch::nn::Module {
  explicit HashedDropoutImpl(double p) : p(p) {}
  torch::Tensor forward(const torch::Tensor& x) { return hashed_dropout(x, p, is_training()); }
  double p;
};
TORCH_MODULE(HashedDropout);

}  // namespace greenbench
