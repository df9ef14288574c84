// Which BLAS this process actually loaded, and a fix for OpenBLAS 0.3.21
// (Debian 12) misdetecting recent Xeons: it falls back to its "Prescott"
// (SSE3) kernels, about 5x slower for GEMM than its AVX-512 ones here.
#pragma once

#include <string>

namespace greenbench {

struct BlasInfo {
  std::string library;    ///< path of the BLAS shared object mapped into the process
  std::string name;       ///< "OpenBLAS", "MKL", "reference BLAS" or "unknown"
  std::string core;       ///< OpenBLAS's kernel set (openblas_get_corename), if OpenBLAS
  std::string config;     ///< OpenBLAS's build config string, if OpenBLAS
  std::string coretype_override;  ///< OPENBLAS_CORETYPE in effect, if any
};

/// Reads /proc/self/maps and asks OpenBLAS, if loaded, for its core.
BlasInfo detect_blas();

/// Sets OpenBLAS's thread count (no-op for other BLAS libraries). Returns
/// false when the loaded BLAS offers no way to set it.
bool set_blas_threads(int threads);

// For fp32 work greenbench gives the BLAS the threads and LibTorch's
// intra-op pool one (bf16 training reverses that: train/precision.h).
// Measured on 2 cores (mini model, IMDB, 256 pieces): LibTorch 2 + OpenBLAS 2
// oversubscribes (the BLAS is called inside LibTorch's parallel regions) and
// trains at 2378 tokens/s, LibTorch 2 + OpenBLAS 1 at 2660, LibTorch 1 +
// OpenBLAS 2 at 3085.

/// If OpenBLAS chose its generic Prescott kernels on a CPU with AVX-512 (or
/// AVX2), re-executes this program with OPENBLAS_CORETYPE set to SkylakeX (or
/// Haswell), because OpenBLAS reads it only when it loads. Does nothing when
/// OPENBLAS_CORETYPE is already set or GREENBENCH_NO_BLAS_FIX=1. Returns only
/// if no re-exec happened.
void ensure_fast_openblas(char** argv);

}  // namespace greenbench
