// The BLAS this process loaded: detect_blas names it, and its GEMM gives the
// right numbers (a guard for the OPENBLAS_CORETYPE override, which swaps the
// kernels OpenBLAS runs).
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <cmath>

#include "measure/blas_info.h"

using namespace greenbench;

TEST_CASE("detect_blas names the loaded BLAS", "[blas]") {
  BlasInfo info = detect_blas();
  CHECK(!info.name.empty());
  UNSCOPED_INFO("BLAS " << info.name << " (" << info.library << "), core " << info.core);
  if (info.name == "OpenBLAS") {
    CHECK(!info.core.empty());
    CHECK(!info.library.empty());
  }
  if (info.name != "unknown") CHECK(!info.library.empty());
}

TEST_CASE("torch::mm agrees with a naive triple loop in double", "[blas]") {
  torch::manual_seed(31);
  auto a = torch::randn({256, 192});
  auto b = torch::randn({192, 128});
  auto c = torch::mm(a, b);
  auto pa = a.accessor<float, 2>();
  auto pb = b.accessor<float, 2>();
  auto pc = c.accessor<float, 2>();
  double worst = 0;
  for (int i = 0; i < 256; ++i) {
    for (int j = 0; j < 128; ++j) {
      double sum = 0;
      for (int k = 0; k < 192; ++k) sum += static_cast<double>(pa[i][k]) * pb[k][j];
      worst = std::max(worst, std::abs(sum - pc[i][j]));
    }
  }
  CHECK(worst < 1e-3);
  // Matrix-vector and batched products go through the same library.
  auto v = torch::randn({192});
  CHECK(torch::allclose(torch::mv(a, v), (a.to(torch::kDouble).matmul(v.to(torch::kDouble))).to(torch::kFloat), 1e-4, 1e-3));
  auto batched = torch::bmm(a.view({2, 128, 192}), b.unsqueeze(0).expand({2, 192, 128}).contiguous());
  CHECK(torch::allclose(batched.view({256, 128}), c, 1e-5, 1e-4));
}

TEST_CASE("set_blas_threads reports whether the BLAS takes a thread count", "[blas]") {
  const bool settable = set_blas_threads(1);
  if (detect_blas().name == "OpenBLAS") CHECK(settable);
  // Products stay right with the count changed.
  auto a = torch::randn({64, 64}, torch::kDouble);
  CHECK(torch::allclose(torch::mm(a, torch::eye(64, torch::kDouble)), a));
}
