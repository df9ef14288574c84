#include "greenbench/bert/exit_engine.h"

namespace greenbench {

torch::Tensor LastExitRule::should_exit(int, const torch::Tensor& probs, const torch::Tensor&) {
  return torch::zeros({probs.size(0)}, torch::kBool);
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
