#include "greenbench/bert/calibration.h"

#include <cmath>

namespace greenbench {

double nll_at_temperature(const torch::Tensor& logits, const torch::Tensor& labels, double temperature) {
  torch::NoGradGuard no_grad;
  auto log_probs = torch::log_softmax(logits.to(torch::kDouble) / temperature, -1);
  return -log_probs.gather(1, labels.unsqueeze(1)).mean().item<double>();
}

double fit_temperature(const torch::Tensor& logits, const torch::Tensor& labels) {
  double lo = std::log(0.05), hi = std::log(20.0);
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  auto f = [&](double log_t) { return nll_at_temperature(logits, labels, std::exp(log_t)); };
  double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
  double fa = f(a), fb = f(b);
  for (int i = 0; i < 60 && hi - lo > 1e-6; ++i) {
    if (fa < fb) {
      hi = b, b = a, fb = fa;
      a = hi - ratio * (hi - lo);
      fa = f(a);
    } else {
      lo = a, a = b, fa = fb;
      b = lo + ratio * (hi - lo);
      fb = f(b);
    }
  }
  return std::exp((lo + hi) / 2);
}

double expected_calibration_error(const torch::Tensor& probs, const torch::Tensor& labels, int bins) {
  auto [confidence, predicted] = probs.max(1);
  auto correct = predicted.eq(labels).to(torch::kDouble);
  auto conf = confidence.to(torch::kDouble);
  const double n = static_cast<double>(probs.size(0));
  double ece = 0;
  auto conf_acc = conf.accessor<double, 1>();
  auto correct_acc = correct.accessor<double, 1>();
  std::vector<double> sum_conf(bins, 0), sum_correct(bins, 0), count(bins, 0);
  for (int64_t i = 0; i < probs.size(0); ++i) {
    // Bin b holds (b/bins, (b+1)/bins]; confidence is never below 1/C > 0.
    int b = std::min(bins - 1, std::max(0, static_cast<int>(std::ceil(conf_acc[i] * bins)) - 1));
    sum_conf[b] += conf_acc[i];
    sum_correct[b] += correct_acc[i];
    count[b] += 1;
  }
  for (int b = 0; b < bins; ++b) {
    if (count[b] > 0) ece += std::abs(sum_correct[b] - sum_conf[b]) / n;
  }
  return ece;
}

std::vector<ExitCalibration> calibrate_exits(const std::vector<torch::Tensor>& exit_logits, const torch::Tensor& labels) {
  std::vector<ExitCalibration> out;
  for (const auto& logits : exit_logits) {
    ExitCalibration c;
    c.nll_before = nll_at_temperature(logits, labels, 1.0);
    c.ece_before = expected_calibration_error(torch::softmax(logits, -1), labels);
    c.temperature = fit_temperature(logits, labels);
    c.nll_after = nll_at_temperature(logits, labels, c.temperature);
    c.ece_after = expected_calibration_error(torch::softmax(logits / c.temperature, -1), labels);
    out.push_back(c);
  }
  return out;
}

nlohmann::json to_json(const std::vector<ExitCalibration>& calibration) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& c : calibration) {
    j.push_back({{"temperature", c.temperature},
                 {"nll_before", c.nll_before},
                 {"nll_after", c.nll_after},
                 {"ece_before", c.ece_before},
                 {"ece_after", c.ece_after}});
  }
  return j;
}

}  // namespace greenbench
