// Temperature scaling (Guo et al. 2017): one temperature per exit, fitted on
// the calibration split by minimising the negative log-likelihood, with the
// expected calibration error before and after.
#pragma once

#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace greenbench {

/// Mean NLL of softmax(logits / temperature) at the gold labels.
double nll_at_temperature(const torch::Tensor& logits, const torch::Tensor& labels, double temperature);

/// The temperature in [0.05, 20] minimising the NLL (golden-section search on
/// log T; the NLL is convex in 1/T, so the search finds the optimum).
double fit_temperature(const torch::Tensor& logits, const torch::Tensor& labels);

/// ECE with `bins` equal-width confidence bins: sum_b |B|/N * |acc(B) - conf(B)|.
double expected_calibration_error(const torch::Tensor& probs, const torch::Tensor& labels, int bins = 15);

struct ExitCalibration {
  double temperature = 1;
  double nll_before = 0, nll_after = 0, ece_before = 0, ece_after = 0;
};

/// Fits every exit's temperature from its logits on the calibration split.
std::vector<ExitCalibration> calibrate_exits(const std::vector<torch::Tensor>& exit_logits, const torch::Tensor& labels);

nlohmann::json to_json(const std::vector<ExitCalibration>& calibration);

}  // namespace greenbench
