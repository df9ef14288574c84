#include "baselines/prune/magnitude_prune.h"

#include <cmath>
#include <string>
#include <vector>

#include "greenbench/error.h"

namespace greenbench {
namespace {
std::vector<torch::Tensor> encoder_linear_weights(BertClassifier& model) {
  std::vector<torch::Tensor> weights;
  for (auto& layer : model->bert->layers) {
    weights.push_back(layer->attention->self->query->weight);
    weights.push_back(layer->attention->self->key->weight);
    weights.push_back(layer->attention->self->value->weight);
    weights.push_back(layer->attention->output->dense->weight);
    weights.push_back(layer->intermediate->dense->weight);
    weights.push_back(layer->output->dense->weight);
  }
  return weights;
}
}  // namespace

int64_t magnitude_prune_encoder(BertClassifier& model, double sparsity) {
  if (!(sparsity >= 0 && sparsity < 1)) throw Error("magnitude pruning: sparsity must be in [0, 1), got " + std::to_string(sparsity));
  auto weights = encoder_linear_weights(model);
  std::vector<torch::Tensor> flat;
  for (const auto& w : weights) flat.push_back(w.detach().abs().flatten());
  auto magnitudes = torch::cat(flat);
  const int64_t count = std::llround(sparsity * static_cast<double>(magnitudes.numel()));
  if (count == 0) return 0;
  // Rank by magnitude, ties broken by position, so exactly `count` go.
  auto order = magnitudes.argsort();
  auto drop = torch::zeros({magnitudes.numel()}, torch::kBool);
  drop.index_fill_(0, order.slice(0, 0, count), true);
  torch::NoGradGuard no_grad;
  int64_t offset = 0;
  for (auto& w : weights) {
    const int64_t n = w.numel();
    w.masked_fill_(drop.slice(0, offset, offset + n).view(w.sizes()), 0.0);
    offset += n;
  }
  return count;
}

int64_t nonzero_parameter_count(const BertClassifier& model) {
  int64_t n = 0;
  for (const auto& p : model->parameters()) n += p.count_nonzero().item<int64_t>();
  return n;
}

}  // namespace greenbench
