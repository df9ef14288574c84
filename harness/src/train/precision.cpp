#include "greenbench/bert/precision.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <atomic>

#include "greenbench/error.h"
#include "measure/blas_info.h"
#include "util/cpu_flags.h"

namespace greenbench {
namespace {
std::atomic<int> budget{1};
std::atomic<Precision> layout{Precision::fp32};
}

std::string to_string(Precision precision) { return precision == Precision::bf16 ? "bf16" : "fp32"; }

bool cpu_has_fast_bf16(const std::string& cpuinfo) {
  const auto flags = cpu_flags(cpuinfo);
  return flags.count("amx_bf16") > 0 || flags.count("avx512_bf16") > 0;
}

Precision resolve_precision(const std::string& requested) {
  if (requested == "fp32") return Precision::fp32;
  if (requested == "bf16") return Precision::bf16;
  if (requested == "auto") return cpu_has_fast_bf16() ? Precision::bf16 : Precision::fp32;
  throw Error("unknown precision '" + requested + "'; use auto, fp32 or bf16");
}

void set_thread_budget(int threads) { budget = std::max(1, threads); }
int thread_budget() { return budget; }

Precision current_thread_layout() { return layout; }

void apply_thread_layout(Precision precision) {
  layout = precision;
  const int n = budget;
  if (precision == Precision::bf16) {
    set_blas_threads(1);
    torch::set_num_threads(n);
    return;
  }
  const bool blas_settable = set_blas_threads(n);
  // When the BLAS cannot be told, LibTorch's pool is the only lever left.
  torch::set_num_threads(blas_settable ? 1 : n);
}

AutocastScope::AutocastScope(bool enabled) : enabled_(enabled) {
  if (!enabled_) return;
  previous_ = at::autocast::is_cpu_enabled();
  at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  at::autocast::set_cpu_enabled(true);
}

AutocastScope::~AutocastScope() {
  if (!enabled_) return;
  at::autocast::set_cpu_enabled(previous_);
  at::autocast::clear_cache();
}

}  // namespace greenbench
