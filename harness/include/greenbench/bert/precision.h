// Training precision and the thread layout that goes with it.
//
// fp32 matrix products run in OpenBLAS, bf16 ones (LibTorch's CPU autocast)
// in oneDNN on LibTorch's OpenMP pool, so the threads go to whichever library
// does the work. Measured on this 2-core Sapphire Rapids VM, 4 x 256 model,
// batch 32 x 64 tokens, one training step: fp32 with LibTorch 1 + OpenBLAS 2
// threads 507 ms (LibTorch 2 + OpenBLAS 2: 986 ms); bf16 autocast with
// LibTorch 2 + OpenBLAS 1 244 ms (with OpenBLAS 2: 322 ms). oneDNN uses AMX
// tiles there (768 GFLOP/s bf16 GEMM against 161 fp32).
#pragma once

#include <string>

namespace greenbench {

enum class Precision { fp32, bf16 };

std::string to_string(Precision precision);

/// Whether this CPU multiplies bf16 in hardware (AMX-BF16 or AVX512-BF16),
/// read from /proc/cpuinfo's flags (`cpuinfo` overrides the path, for tests).
bool cpu_has_fast_bf16(const std::string& cpuinfo = "/proc/cpuinfo");

/// "fp32", "bf16", or "auto" (bf16 where the CPU has fast bf16, else fp32).
/// Throws greenbench::Error for anything else.
Precision resolve_precision(const std::string& requested);

/// The total threads a run may use (from --threads); the layout splits them.
void set_thread_budget(int threads);
int thread_budget();

/// Gives the thread budget to OpenBLAS (fp32) or to LibTorch's pool (bf16).
void apply_thread_layout(Precision precision);
/// The layout applied last (fp32 before any call).
Precision current_thread_layout();

/// Turns on LibTorch's CPU autocast to bf16 for its lifetime when `enabled`,
/// and drops autocast's cache of cast weights on exit: the optimizer changes
/// the fp32 weights in place after each step, so a cached copy would be stale.
class AutocastScope {
 public:
  explicit AutocastScope(bool enabled);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool enabled_;
  bool previous_ = false;
};

/// Applies a precision's thread layout for its lifetime, then the one before.
class ThreadLayoutScope {
 public:
  explicit ThreadLayoutScope(Precision precision) : previous_(current_thread_layout()) {
    apply_thread_layout(precision);
  }
  ~ThreadLayoutScope() { apply_thread_layout(previous_); }
  ThreadLayoutScope(const ThreadLayoutScope&) = delete;
  ThreadLayoutScope& operator=(const ThreadLayoutScope&) = delete;

 private:
  Precision previous_;
};

}  // namespace greenbench
