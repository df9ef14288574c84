#include "baselines/prune/unit_importance.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

#include "data/batching.h"
#include "greenbench/error.h"

namespace greenbench {

UnitImportance unit_importance(BertClassifier& model, const EncodedSet& set, const UnitKeep& keep, int batch_size,
                               int64_t max_examples) {
  const auto& config = model->config;
  const int layers = config.num_hidden_layers;
  const int64_t n = max_examples > 0 ? std::min<int64_t>(max_examples, static_cast<int64_t>(set.size()))
                                     : static_cast<int64_t>(set.size());
  if (n == 0) throw Error("unit_importance: no instances to score on");
  UnitImportance sums;
  std::vector<torch::Tensor> head_mask, neuron_mask;
  set_unit_gates(model, keep);  // 0/1 masks of the kept units
  for (int layer = 0; layer < layers; ++layer) {
    sums.heads.push_back(torch::zeros({config.heads_in(layer)}, torch::kDouble));
    sums.neurons.push_back(torch::zeros({config.intermediate_in(layer)}, torch::kDouble));
    head_mask.push_back(model->bert->layers[static_cast<size_t>(layer)]->attention->self->head_gate);
    neuron_mask.push_back(model->bert->layers[static_cast<size_t>(layer)]->intermediate->neuron_gate);
  }
  const bool was_training = model->is_training();
  model->eval();

  EncodedSet subset;
  const EncodedSet* source = &set;
  if (n < static_cast<int64_t>(set.size())) {
    subset.ids.assign(set.ids.begin(), set.ids.begin() + n);
    subset.type_ids.assign(set.type_ids.begin(), set.type_ids.begin() + n);
    subset.labels.assign(set.labels.begin(), set.labels.begin() + n);
    source = &subset;
  }
  try {
    for (const auto& indices : sorted_batches(*source, batch_size)) {
      Batch batch = collate(*source, indices);
      const int64_t b = batch.input.input_ids.size(0);
      // Per-instance gates ([B, heads], [B, 1, width]) at the mask's values:
      // the summed loss's gradient on row i is instance i's own dL/dxi.
      std::vector<torch::Tensor> gates;
      for (int layer = 0; layer < layers; ++layer) {
        auto& l = model->bert->layers[static_cast<size_t>(layer)];
        l->attention->self->head_gate = head_mask[static_cast<size_t>(layer)].repeat({b, 1}).requires_grad_(true);
        l->intermediate->neuron_gate =
            neuron_mask[static_cast<size_t>(layer)].view({1, 1, -1}).repeat({b, 1, 1}).requires_grad_(true);
        gates.push_back(l->attention->self->head_gate);
        gates.push_back(l->intermediate->neuron_gate);
      }
      torch::Tensor loss = torch::zeros({});
      for (const auto& logits : model->forward(batch.input)) {
        loss = loss + torch::nn::functional::cross_entropy(
                          logits, batch.labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
      }
      // Gradients of the gates only: the parameters' .grad stay untouched.
      auto grads = torch::autograd::grad({loss}, gates);
      for (int layer = 0; layer < layers; ++layer) {
        const auto l = static_cast<size_t>(layer);
        sums.heads[l] += grads[2 * l].abs().sum(0).to(torch::kDouble);
        sums.neurons[l] += grads[2 * l + 1].abs().sum(torch::IntArrayRef{0, 1}).to(torch::kDouble);
      }
    }
  } catch (...) {
    clear_unit_gates(model);
    model->train(was_training);
    throw;
  }
  clear_unit_gates(model);
  model->train(was_training);
  for (int layer = 0; layer < layers; ++layer) {
    const auto l = static_cast<size_t>(layer);
    // A gated-off unit's gradient is not its importance: it is already gone.
    sums.heads[l] = sums.heads[l] / static_cast<double>(n) * head_mask[l].to(torch::kDouble);
    sums.neurons[l] = sums.neurons[l] / static_cast<double>(n) * neuron_mask[l].to(torch::kDouble);
  }
  return sums;
}

UnitImportance normalised_per_layer(const UnitImportance& importance) {
  auto normalise = [](const torch::Tensor& scores) {
    const double norm = scores.norm().item<double>();
    return norm > 0 ? scores / norm : scores.clone();
  };
  UnitImportance out;
  for (const auto& s : importance.heads) out.heads.push_back(normalise(s));
  for (const auto& s : importance.neurons) out.neurons.push_back(normalise(s));
  return out;
}

namespace {
// Drops `count` of the kept units, least important first, leaving each layer at least one.
void drop_units(std::vector<std::vector<int>>& kept, const std::vector<torch::Tensor>& scores, int64_t count) {
  std::vector<std::tuple<double, size_t, int>> ranked;  // score, layer, unit
  for (size_t l = 0; l < kept.size(); ++l) {
    auto acc = scores.at(l).to(torch::kDouble).contiguous();
    const double* data = acc.data_ptr<double>();
    for (int unit : kept[l]) ranked.emplace_back(data[unit], l, unit);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::vector<int>> dropped(kept.size());
  std::vector<size_t> left(kept.size());
  for (size_t l = 0; l < kept.size(); ++l) left[l] = kept[l].size();
  int64_t done = 0;
  for (const auto& [score, l, unit] : ranked) {
    if (done == count) break;
    if (left[l] <= 1) continue;
    dropped[l].push_back(unit);
    --left[l];
    ++done;
  }
  for (size_t l = 0; l < kept.size(); ++l) {
    auto& k = kept[l];
    k.erase(std::remove_if(k.begin(), k.end(),
                           [&](int u) { return std::find(dropped[l].begin(), dropped[l].end(), u) != dropped[l].end(); }),
            k.end());
  }
}
}  // namespace

UnitKeep drop_least_important(const UnitKeep& keep, const UnitImportance& importance, int heads, int64_t neurons) {
  UnitKeep out = keep;
  drop_units(out.heads, importance.heads, heads);
  drop_units(out.neurons, importance.neurons, neurons);
  return out;
}

PruneSchedule iterative_prune_schedule(BertClassifier& model, const EncodedSet& set, const std::vector<double>& ratios,
                                       double step, int batch_size, int64_t max_examples) {
  if (!(step > 0 && step <= 1)) throw Error("iterative_prune_schedule: step must be in (0, 1], got " + std::to_string(step));
  for (size_t i = 0; i < ratios.size(); ++i) {
    if (!(ratios[i] >= 0 && ratios[i] < 1)) throw Error("prune ratios must be in [0, 1), got " + std::to_string(ratios[i]));
    if (i > 0 && ratios[i] < ratios[i - 1]) throw Error("prune ratios must be ascending");
  }
  const UnitKeep full = UnitKeep::all(model->config);
  const int total_heads = full.total_heads();
  const int64_t total_neurons = full.total_neurons();
  const int layers = model->config.num_hidden_layers;
  const int head_step = std::max(1, static_cast<int>(std::lround(step * total_heads)));
  const int64_t neuron_step = std::max<int64_t>(1, std::llround(step * static_cast<double>(total_neurons)));
  PruneSchedule schedule;
  UnitKeep keep = full;
  for (double ratio : ratios) {
    // Every layer keeps one head and one neuron, which caps what can go.
    const int head_target = std::min(static_cast<int>(std::lround(ratio * total_heads)), total_heads - layers);
    const int64_t neuron_target =
        std::min<int64_t>(std::llround(ratio * static_cast<double>(total_neurons)), total_neurons - layers);
    while (total_heads - keep.total_heads() < head_target || total_neurons - keep.total_neurons() < neuron_target) {
      const int heads = std::min(head_step, head_target - (total_heads - keep.total_heads()));
      const int64_t neurons = std::min(neuron_step, neuron_target - (total_neurons - keep.total_neurons()));
      auto scores = normalised_per_layer(unit_importance(model, set, keep, batch_size, max_examples));
      ++schedule.importance_passes;
      keep = drop_least_important(keep, scores, std::max(heads, 0), std::max<int64_t>(neurons, 0));
    }
    schedule.keeps.push_back(keep);
  }
  return schedule;
}

}  // namespace greenbench
