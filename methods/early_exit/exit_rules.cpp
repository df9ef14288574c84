#include "methods/early_exit/exit_rules.h"

#include <algorithm>
#include <cmath>

namespace greenbench {

torch::Tensor ConfidenceRule::should_exit(int, const torch::Tensor& probs, const torch::Tensor&) {
  // float32 softmax rounds to exactly 1 once logits are ~17 apart, so a
  // threshold of 1 must mean "never early", not "max prob >= 1".
  if (threshold_ >= 1.0) return torch::zeros({probs.size(0)}, torch::kBool);
  return std::get<0>(probs.max(1)).ge(threshold_);
}

std::vector<double> distinct_confidence_thresholds(const std::vector<double>& thresholds, int num_labels) {
  const double floor = 1.0 / std::max(num_labels, 1);
  double largest_at_floor = -1;
  for (double t : thresholds) {
    if (t <= floor) largest_at_floor = std::max(largest_at_floor, t);
  }
  std::vector<double> kept;
  for (double t : thresholds) {
    const bool distinct = t > floor || t == largest_at_floor;
    if (distinct && std::find(kept.begin(), kept.end(), t) == kept.end()) kept.push_back(t);
  }
  return kept;
}

torch::Tensor EntropyRule::should_exit(int, const torch::Tensor& probs, const torch::Tensor&) {
  const int64_t classes = probs.size(1);
  auto entropy = -(probs * probs.clamp_min(1e-30).log()).sum(1) / std::log(static_cast<double>(classes));
  return entropy.lt(threshold_);
}

PatienceRule::PatienceRule(int patience, int64_t batch_size)
    : patience_(patience), previous_label_(static_cast<size_t>(batch_size), -1), counter_(static_cast<size_t>(batch_size), 0) {}

torch::Tensor PatienceRule::should_exit(int exit_index, const torch::Tensor& probs, const torch::Tensor& rows) {
  auto labels = probs.argmax(1);
  auto label_acc = labels.accessor<int64_t, 1>();
  auto rows_acc = rows.accessor<int64_t, 1>();
  auto done = torch::zeros({rows.size(0)}, torch::kBool);
  auto done_acc = done.accessor<bool, 1>();
  for (int64_t i = 0; i < rows.size(0); ++i) {
    const auto row = static_cast<size_t>(rows_acc[i]);
    int& counter = counter_.at(row);
    counter = exit_index > 0 && label_acc[i] == previous_label_[row] ? counter + 1 : 0;
    previous_label_[row] = label_acc[i];
    done_acc[i] = counter >= patience_;
  }
  return done;
}

}  // namespace greenbench
