#include "model/exit_inference.h"

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

void predict_with_exits(BertClassifier& model, const Batch& batch, const std::vector<double>& temperatures,
                        ExitRule& rule, std::vector<Prediction>& out) {
  torch::NoGradGuard no_grad;
  const auto& config = model->config;
  const int64_t batch_size = batch.input.input_ids.size(0);
  out.assign(static_cast<size_t>(batch_size), Prediction{});

  auto mask = batch.input.attention_mask;
  auto hidden = model->bert->embed(batch.input.input_ids, batch.input.token_type_ids);
  auto rows = torch::arange(batch_size, torch::kLong);  // original row of each active instance
  auto lengths = mask.sum(1);
  // The additive mask changes only when the batch shrinks, not per layer.
  auto bias = BertModelImpl::mask_bias(mask);
  size_t next_exit = 0;
  for (int layer = 0; layer < config.num_hidden_layers; ++layer) {
    hidden = model->bert->run_layer(layer, hidden, bias);
    if (next_exit >= config.exit_layers.size() || config.exit_layers[next_exit] != layer) continue;
    const int exit_index = static_cast<int>(next_exit++);
    const bool last = next_exit == config.exit_layers.size();
    auto logits = model->exit_logits(exit_index, hidden, mask);
    auto probs = torch::softmax(logits / temperatures.at(static_cast<size_t>(exit_index)), -1);
    auto done = last ? torch::ones({rows.size(0)}, torch::kBool) : rule.should_exit(exit_index, probs, rows);
    auto [confidence, label] = probs.max(1);
    auto done_acc = done.accessor<bool, 1>();
    auto rows_acc = rows.accessor<int64_t, 1>();
    auto conf_acc = confidence.accessor<float, 1>();
    auto label_acc = label.accessor<int64_t, 1>();
    std::vector<int64_t> keep;
    for (int64_t i = 0; i < rows.size(0); ++i) {
      if (done_acc[i]) {
        Prediction& p = out[static_cast<size_t>(rows_acc[i])];
        p.label = static_cast<int>(label_acc[i]);
        p.confidence = conf_acc[i];
        p.layers_run = layer + 1;
        p.exits_evaluated = exit_index + 1;
      } else {
        keep.push_back(i);
      }
    }
    if (keep.empty()) break;
    if (static_cast<int64_t>(keep.size()) < rows.size(0)) {
      // Drop finished instances and the padding no remaining instance needs.
      auto keep_t = torch::tensor(keep, torch::kLong);
      rows = rows.index_select(0, keep_t);
      lengths = lengths.index_select(0, keep_t);
      const int64_t longest = lengths.max().item<int64_t>();
      hidden = hidden.index_select(0, keep_t).narrow(1, 0, longest);
      mask = mask.index_select(0, keep_t).narrow(1, 0, longest);
      bias = BertModelImpl::mask_bias(mask);
    }
  }
}

}  // namespace greenbench
