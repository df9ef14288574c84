#include "greenbench/bert/dropout.h"

#include <ATen/Parallel.h>

#include <cstdint>
#include <limits>

namespace greenbench {
namespace {
// SplitMix64's finaliser: a bijective mix, good enough for a keep/drop coin.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

template <typename T>
void fill_mask(T* out, int64_t n, uint64_t seed, uint32_t threshold, float scale) {
  at::parallel_for(0, n, 1 << 14, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const uint32_t draw = static_cast<uint32_t>(mix64(seed + static_cast<uint64_t>(i) * 0x9e3779b97f4a7c15ULL) >> 32);
      out[i] = static_cast<T>(draw >= threshold ? scale : 0.0f);
    }
  });
}
}  // namespace

torch::Tensor hashed_dropout(const torch::Tensor& x, double p, bool training) {
  if (!training || p <= 0.0) return x;
  if (p >= 1.0) return x * 0;
  const auto seed = static_cast<uint64_t>(
      torch::randint(std::numeric_limits<int64_t>::max(), {1}, torch::kLong).item<int64_t>());
  // Drop when the 32-bit draw falls below p * 2^32.
  const auto threshold = static_cast<uint32_t>(p * 4294967296.0);
  const float scale = static_cast<float>(1.0 / (1.0 - p));
  auto mask = torch::empty(x.sizes(), x.options().requires_grad(false));
  const int64_t n = mask.numel();
  if (mask.scalar_type() == torch::kFloat) {
    fill_mask(mask.data_ptr<float>(), n, seed, threshold, scale);
  } else if (mask.scalar_type() == torch::kBFloat16) {
    fill_mask(mask.data_ptr<at::BFloat16>(), n, seed, threshold, scale);
  } else {
    auto f = torch::empty(x.sizes(), x.options().dtype(torch::kFloat).requires_grad(false));
    fill_mask(f.data_ptr<float>(), n, seed, threshold, scale);
    mask = f.to(x.scalar_type());
  }
  return x * mask;
}

}  // namespace greenbench
