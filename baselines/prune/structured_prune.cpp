#include "baselines/prune/structured_prune.h"

#include <algorithm>
#include <string>

#include "greenbench/error.h"

namespace greenbench {
namespace {

// Sorted, unique, in [0, limit), at least one: else an error naming the layer.
std::vector<int64_t> checked_indices(std::vector<int> kept, int limit, int layer, const char* what) {
  const std::string where = "prune_structured: layer " + std::to_string(layer) + " ";
  if (kept.empty()) throw Error(where + "keeps no " + what + " (keep at least one)");
  std::sort(kept.begin(), kept.end());
  if (std::adjacent_find(kept.begin(), kept.end()) != kept.end()) throw Error(where + "keeps a " + what + " twice");
  if (kept.front() < 0 || kept.back() >= limit) {
    throw Error(where + "keeps " + what + " index out of range [0, " + std::to_string(limit) + ")");
  }
  return std::vector<int64_t>(kept.begin(), kept.end());
}

// The rows (dim 0) or columns (dim 1) of the kept heads, head_dim each.
torch::Tensor head_slices(const std::vector<int64_t>& heads, int head_dim) {
  std::vector<int64_t> rows;
  for (int64_t h : heads) {
    for (int i = 0; i < head_dim; ++i) rows.push_back(h * head_dim + i);
  }
  return torch::tensor(rows, torch::kLong);
}

void copy_into(torch::Tensor& target, const torch::Tensor& source) {
  if (target.sizes() != source.sizes()) throw Error("prune_structured: internal shape mismatch");
  target.copy_(source);
}

}  // namespace

UnitKeep UnitKeep::all(const BertConfig& config) {
  UnitKeep keep;
  for (int layer = 0; layer < config.num_hidden_layers; ++layer) {
    std::vector<int> heads(static_cast<size_t>(config.heads_in(layer))), neurons(static_cast<size_t>(config.intermediate_in(layer)));
    for (size_t i = 0; i < heads.size(); ++i) heads[i] = static_cast<int>(i);
    for (size_t i = 0; i < neurons.size(); ++i) neurons[i] = static_cast<int>(i);
    keep.heads.push_back(std::move(heads));
    keep.neurons.push_back(std::move(neurons));
  }
  return keep;
}

int UnitKeep::total_heads() const {
  int n = 0;
  for (const auto& h : heads) n += static_cast<int>(h.size());
  return n;
}

int64_t UnitKeep::total_neurons() const {
  int64_t n = 0;
  for (const auto& h : neurons) n += static_cast<int64_t>(h.size());
  return n;
}

BertClassifier prune_structured(const BertClassifier& model, const UnitKeep& keep) {
  const BertConfig& source_config = model->config;
  const int layers = source_config.num_hidden_layers;
  if (static_cast<int>(keep.heads.size()) != layers || static_cast<int>(keep.neurons.size()) != layers) {
    throw Error("prune_structured: " + std::to_string(keep.heads.size()) + " head lists and " +
                std::to_string(keep.neurons.size()) + " neuron lists for " + std::to_string(layers) + " layers");
  }
  std::vector<std::vector<int64_t>> heads, neurons;
  BertConfig config = source_config;
  config.layer_heads.clear();
  config.layer_intermediate.clear();
  for (int layer = 0; layer < layers; ++layer) {
    const auto l = static_cast<size_t>(layer);
    heads.push_back(checked_indices(keep.heads[l], source_config.heads_in(layer), layer, "head"));
    neurons.push_back(checked_indices(keep.neurons[l], source_config.intermediate_in(layer), layer, "neuron"));
    config.layer_heads.push_back(static_cast<int>(heads.back().size()));
    config.layer_intermediate.push_back(static_cast<int>(neurons.back().size()));
  }

  BertClassifier pruned(config);
  torch::NoGradGuard no_grad;
  // Unchanged tensors (embeddings, LayerNorms, pooler, exits, biases of the
  // output denses) keep their shape and are copied by name; the sliced ones
  // are overwritten below.
  auto from = model->named_parameters();
  for (auto& item : pruned->named_parameters()) {
    const torch::Tensor* source = from.find(item.key());
    if (!source) throw Error("prune_structured: the source model has no " + item.key());
    if (source->sizes() == item.value().sizes()) item.value().copy_(*source);
  }
  auto from_buffers = model->named_buffers();
  for (auto& item : pruned->named_buffers()) {
    const torch::Tensor* source = from_buffers.find(item.key());
    if (source && source->sizes() == item.value().sizes()) item.value().copy_(*source);
  }
  const int head_dim = source_config.head_dim();
  for (int layer = 0; layer < layers; ++layer) {
    const auto l = static_cast<size_t>(layer);
    const auto& src = model->bert->layers.at(l);
    auto& dst = pruned->bert->layers.at(l);
    const auto head_rows = head_slices(heads[l], head_dim);
    auto slice_rows = [&](const QuantizableLinear& s, QuantizableLinear& d, const torch::Tensor& rows) {
      copy_into(d->weight, s->weight.index_select(0, rows));
      copy_into(d->bias, s->bias.index_select(0, rows));
    };
    slice_rows(src->attention->self->query, dst->attention->self->query, head_rows);
    slice_rows(src->attention->self->key, dst->attention->self->key, head_rows);
    slice_rows(src->attention->self->value, dst->attention->self->value, head_rows);
    copy_into(dst->attention->output->dense->weight, src->attention->output->dense->weight.index_select(1, head_rows));
    const auto neuron_rows = torch::tensor(neurons[l], torch::kLong);
    slice_rows(src->intermediate->dense, dst->intermediate->dense, neuron_rows);
    copy_into(dst->output->dense->weight, src->output->dense->weight.index_select(1, neuron_rows));
  }
  pruned->eval();
  return pruned;
}

void set_unit_gates(BertClassifier& model, const UnitKeep& keep) {
  const auto& config = model->config;
  for (int layer = 0; layer < config.num_hidden_layers; ++layer) {
    const auto l = static_cast<size_t>(layer);
    auto ones_at = [](int size, const std::vector<int>& kept) {
      auto gate = torch::zeros({size});
      if (!kept.empty()) gate.index_fill_(0, torch::tensor(std::vector<int64_t>(kept.begin(), kept.end()), torch::kLong), 1.0);
      return gate;
    };
    auto head_gate = ones_at(config.heads_in(layer), keep.heads.at(l));
    auto neuron_gate = ones_at(config.intermediate_in(layer), keep.neurons.at(l));
    model->bert->layers[l]->attention->self->head_gate = head_gate;
    model->bert->layers[l]->intermediate->neuron_gate = neuron_gate;
  }
}

void clear_unit_gates(BertClassifier& model) {
  for (auto& layer : model->bert->layers) {
    layer->attention->self->head_gate = torch::Tensor();
    layer->intermediate->neuron_gate = torch::Tensor();
  }
}

}  // namespace greenbench
