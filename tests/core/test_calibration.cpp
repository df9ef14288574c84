// Temperature scaling and ECE: fit_temperature recovers the temperature the
// labels were sampled at, never raises the NLL, and lands on the minimum;
// expected_calibration_error matches hand-computed values and is small for
// calibrated predictions.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include "core_fixtures.h"
#include "greenbench/bert/calibration.h"

using namespace greenbench;
using namespace greenbench::core_test;
using Catch::Detail::Approx;

namespace {
// Logits z ~ 3 * N(0, 1) over 4 classes; labels drawn from softmax(z / t_star).
std::pair<torch::Tensor, torch::Tensor> sampled_at_temperature(double t_star, int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  auto logits = torch::randn({n, 4}) * 3.0;
  auto labels = torch::multinomial(torch::softmax(logits.to(torch::kDouble) / t_star, -1), 1).squeeze(1);
  return {logits, labels};
}
}  // namespace

TEST_CASE("fit_temperature recovers the temperature the labels were sampled at", "[calibration]") {
  single_thread();
  for (double t_star : {2.5, 0.5, 1.0}) {
    auto [logits, labels] = sampled_at_temperature(t_star, 20000, 17);
    const double fitted = fit_temperature(logits, labels);
    INFO("T* = " << t_star << ", fitted " << fitted);
    CHECK(fitted == Approx(t_star).epsilon(0.10));

    const double before = nll_at_temperature(logits, labels, 1.0);
    const double after = nll_at_temperature(logits, labels, fitted);
    CHECK(after <= before + 1e-12);
    // It is the minimum: moving 5% either way does not lower the NLL.
    CHECK(nll_at_temperature(logits, labels, fitted * 1.05) >= after - 1e-9);
    CHECK(nll_at_temperature(logits, labels, fitted / 1.05) >= after - 1e-9);
  }
}

TEST_CASE("nll_at_temperature is the mean negative log-probability of the gold labels", "[calibration]") {
  // Two instances, logits [0, ln 3] and [ln 3, 0], labels 1 and 1:
  // p(1) = 3/4 and 1/4, NLL = (-ln 3/4 - ln 1/4) / 2 = (ln(4/3) + ln 4) / 2.
  auto logits = torch::tensor({0.0, std::log(3.0), std::log(3.0), 0.0}, torch::kDouble).view({2, 2});
  auto labels = torch::tensor({1, 1}, torch::kLong);
  CHECK(nll_at_temperature(logits, labels, 1.0) == Approx((std::log(4.0 / 3.0) + std::log(4.0)) / 2));
  // At T = 2 the odds become sqrt(3): p = sqrt3/(1+sqrt3) and 1/(1+sqrt3).
  const double s = std::sqrt(3.0);
  CHECK(nll_at_temperature(logits, labels, 2.0) == Approx((-std::log(s / (1 + s)) - std::log(1 / (1 + s))) / 2));
}

TEST_CASE("calibrate_exits never raises any exit's NLL", "[calibration]") {
  single_thread();
  auto [a, labels] = sampled_at_temperature(2.0, 4000, 3);
  std::vector<torch::Tensor> exits = {a, a * 0.2, a * 5.0};
  auto calibration = calibrate_exits(exits, labels);
  REQUIRE(calibration.size() == 3);
  for (size_t e = 0; e < calibration.size(); ++e) {
    INFO("exit " << e);
    CHECK(calibration[e].nll_after <= calibration[e].nll_before + 1e-12);
    CHECK(calibration[e].ece_before >= 0);
    CHECK(calibration[e].ece_after <= 1);
  }
  // Scaling the logits by k scales the fitted temperature by k.
  CHECK(calibration[1].temperature == Approx(calibration[0].temperature * 0.2).epsilon(1e-3));
  CHECK(calibration[2].temperature == Approx(calibration[0].temperature * 5.0).epsilon(1e-3));
  auto j = to_json(calibration);
  REQUIRE(j.size() == 3);
  CHECK(j[0].contains("temperature"));
  CHECK(j[0].contains("ece_after"));
}

TEST_CASE("expected_calibration_error matches a hand computation", "[calibration]") {
  // Five predictions (confidence, correct?):
  //   [0.90, 0.10] gold 0: conf 0.90, right
  //   [0.15, 0.85] gold 0: conf 0.85, wrong
  //   [0.70, 0.30] gold 0: conf 0.70, right
  //   [0.35, 0.65] gold 1: conf 0.65, right
  //   [0.55, 0.45] gold 1: conf 0.55, wrong
  auto probs = torch::tensor({0.90, 0.10, 0.15, 0.85, 0.70, 0.30, 0.35, 0.65, 0.55, 0.45}, torch::kDouble).view({5, 2});
  auto labels = torch::tensor({0, 0, 0, 1, 1}, torch::kLong);
  // 5 bins, (0.8,1]: {0.90 right, 0.85 wrong} -> |1 - 1.75| = 0.75
  //         (0.6,0.8]: {0.70 right, 0.65 right} -> |2 - 1.35| = 0.65
  //         (0.4,0.6]: {0.55 wrong}             -> |0 - 0.55| = 0.55
  // ECE = (0.75 + 0.65 + 0.55) / 5 = 0.39
  CHECK(expected_calibration_error(probs, labels, 5) == Approx(0.39));
  // 15 bins: every prediction in its own bin, so ECE is the mean |correct - conf|:
  // (0.10 + 0.85 + 0.30 + 0.35 + 0.55) / 5 = 0.43
  CHECK(expected_calibration_error(probs, labels, 15) == Approx(0.43));
  // One bin: |3 right - 3.65 total confidence| / 5 = 0.13
  CHECK(expected_calibration_error(probs, labels, 1) == Approx(0.13));
  // Float input gives the same answer.
  CHECK(expected_calibration_error(probs.to(torch::kFloat), labels, 5) == Approx(0.39).epsilon(1e-6));
}

TEST_CASE("expected_calibration_error puts confidence 1.0 in the top bin and perfect answers score 0", "[calibration]") {
  auto probs = torch::tensor({1.0, 0.0, 0.0, 1.0}, torch::kDouble).view({2, 2});
  auto labels = torch::tensor({0, 1}, torch::kLong);
  CHECK(expected_calibration_error(probs, labels) == Approx(0.0).margin(1e-12));
  labels = torch::tensor({1, 1}, torch::kLong);  // one confident mistake: |1 - 2| / 2
  CHECK(expected_calibration_error(probs, labels) == Approx(0.5));
}

TEST_CASE("calibrated predictions have a small ECE, overconfident ones a large one", "[calibration]") {
  single_thread();
  torch::manual_seed(23);
  const int64_t n = 20000;
  // Confidence p ~ U(0.5, 1) for class 0; the answer is right with probability p.
  auto p = torch::rand({n}, torch::kDouble) * 0.5 + 0.5;
  auto probs = torch::stack({p, 1 - p}, 1);
  auto right = torch::rand({n}, torch::kDouble).lt(p);
  auto labels = torch::where(right, torch::zeros({n}, torch::kLong), torch::ones({n}, torch::kLong));
  const double calibrated = expected_calibration_error(probs, labels);
  CHECK(calibrated < 0.02);
  // Same answers, claimed with 99% confidence: ECE near 0.99 - E[p] = 0.24.
  auto overconfident = torch::stack({torch::full({n}, 0.99, torch::kDouble), torch::full({n}, 0.01, torch::kDouble)}, 1);
  CHECK(expected_calibration_error(overconfident, labels) == Approx(0.24).margin(0.02));
}
