// greenbench's microbenchmarks (Google Benchmark). OpenBLAS's CPU detection
// is corrected first, as the greenbench CLI does, so the numbers describe the
// kernels a run actually uses.
#include <benchmark/benchmark.h>

#include "gemm_reference.h"
#include "measure/blas_info.h"

int main(int argc, char** argv) {
  greenbench::ensure_fast_openblas(argv);
  greenbench::microbench::use_run_thread_layout();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const greenbench::BlasInfo blas = greenbench::detect_blas();
  benchmark::AddCustomContext("blas", blas.name + " (" + blas.core + ")");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
