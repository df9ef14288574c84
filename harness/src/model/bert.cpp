#include "greenbench/bert/bert.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "greenbench/error.h"

namespace greenbench {
namespace {
// Hugging Face initialisation: N(0, 0.02) weights, zero biases, LayerNorm 1/0.
void init_linear(torch::nn::Linear& linear) {
  torch::NoGradGuard no_grad;
  linear->weight.normal_(0.0, 0.02);
  if (linear->bias.defined()) linear->bias.zero_();
}
torch::nn::Linear make_linear(int in, int out) {
  torch::nn::Linear linear(torch::nn::LinearOptions(in, out));
  init_linear(linear);
  return linear;
}
// The encoder's and pooler's matrix products, which int8 can replace.
QuantizableLinear make_quantizable(int in, int out) { return QuantizableLinear(in, out); }
torch::nn::LayerNorm make_layer_norm(const BertConfig& c) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps));
}
}  // namespace

BertEmbeddingsImpl::BertEmbeddingsImpl(const BertConfig& c) {
  word_embeddings = register_module("word_embeddings", torch::nn::Embedding(c.vocab_size, c.hidden_size));
  position_embeddings =
      register_module("position_embeddings", torch::nn::Embedding(c.max_position_embeddings, c.hidden_size));
  token_type_embeddings = register_module("token_type_embeddings", torch::nn::Embedding(c.type_vocab_size, c.hidden_size));
  LayerNorm = register_module("LayerNorm", make_layer_norm(c));
  dropout = register_module("dropout", HashedDropout(c.hidden_dropout_prob));
  torch::NoGradGuard no_grad;
  for (auto* e : {&word_embeddings, &position_embeddings, &token_type_embeddings}) (*e)->weight.normal_(0.0, 0.02);
}

torch::Tensor BertEmbeddingsImpl::forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids) {
  const int64_t seq = input_ids.size(1);
  auto positions = torch::arange(seq, input_ids.options());
  auto x = word_embeddings(input_ids) + position_embeddings(positions).unsqueeze(0) + token_type_embeddings(token_type_ids);
  return dropout(LayerNorm(x));
}

BertSelfAttentionImpl::BertSelfAttentionImpl(const BertConfig& c, int heads)
    : num_heads(heads), head_dim(c.head_dim()) {
  const int inner = heads * head_dim;
  query = register_module("query", make_quantizable(c.hidden_size, inner));
  key = register_module("key", make_quantizable(c.hidden_size, inner));
  value = register_module("value", make_quantizable(c.hidden_size, inner));
  dropout = register_module("dropout", HashedDropout(c.attention_probs_dropout_prob));
}

torch::Tensor BertSelfAttentionImpl::forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias) {
  const int64_t batch = hidden.size(0), seq = hidden.size(1);
  auto split_heads = [&](const torch::Tensor& t) { return t.view({batch, seq, num_heads, head_dim}).transpose(1, 2); };
  // Scaling q (B*S*H values) is cheaper than scaling the scores (B*heads*S*S).
  auto q = split_heads(query(hidden) * (1.0 / std::sqrt(static_cast<double>(head_dim))));
  auto k = split_heads(key(hidden));
  auto v = split_heads(value(hidden));
  auto scores = torch::matmul(q, k.transpose(-1, -2));
  if (mask_bias.defined()) scores = scores + mask_bias;
  auto probs = dropout(torch::softmax(scores, -1));
  auto context = torch::matmul(probs, v);  // [B, heads, S, d]
  // [heads] gates every instance alike; [B, heads] gives each instance its own
  // gate, so one backward pass yields per-instance gradients.
  if (head_gate.defined()) context = context * head_gate.view({head_gate.dim() == 2 ? batch : 1, num_heads, 1, 1});
  return context.transpose(1, 2).reshape({batch, seq, num_heads * head_dim});
}

BertOutputImpl::BertOutputImpl(int in_features, const BertConfig& c) {
  dense = register_module("dense", make_quantizable(in_features, c.hidden_size));
  LayerNorm = register_module("LayerNorm", make_layer_norm(c));
  dropout = register_module("dropout", HashedDropout(c.hidden_dropout_prob));
}

torch::Tensor BertOutputImpl::forward(const torch::Tensor& x, const torch::Tensor& residual) {
  return LayerNorm(dropout(dense(x)) + residual);
}

BertAttentionImpl::BertAttentionImpl(const BertConfig& c, int heads) {
  self = register_module("self", BertSelfAttention(c, heads));
  output = register_module("output", BertOutput(heads * c.head_dim(), c));
}

torch::Tensor BertAttentionImpl::forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias) {
  return output(self(hidden, mask_bias), hidden);
}

BertIntermediateImpl::BertIntermediateImpl(const BertConfig& c, int width) {
  dense = register_module("dense", make_quantizable(c.hidden_size, width));
}

torch::Tensor BertIntermediateImpl::forward(const torch::Tensor& x) {
  auto activation = torch::gelu(dense(x));
  return neuron_gate.defined() ? activation * neuron_gate : activation;
}

BertLayerImpl::BertLayerImpl(const BertConfig& c, int index) {
  attention = register_module("attention", BertAttention(c, c.heads_in(index)));
  intermediate = register_module("intermediate", BertIntermediate(c, c.intermediate_in(index)));
  output = register_module("output", BertOutput(c.intermediate_in(index), c));
}

torch::Tensor BertLayerImpl::forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias) {
  auto attended = attention(hidden, mask_bias);
  return output(intermediate(attended), attended);
}

BertEncoderImpl::BertEncoderImpl(const BertConfig& c) {
  layer = register_module("layer", torch::nn::ModuleList());
  for (int i = 0; i < c.num_hidden_layers; ++i) layer->push_back(BertLayer(c, i));
}

BertPoolerImpl::BertPoolerImpl(const BertConfig& c) {
  dense = register_module("dense", make_quantizable(c.hidden_size, c.hidden_size));
}

torch::Tensor BertPoolerImpl::forward(const torch::Tensor& summary) { return torch::tanh(dense(summary)); }

BertModelImpl::BertModelImpl(const BertConfig& c) : config(c) {
  config.validate();
  embeddings = register_module("embeddings", BertEmbeddings(c));
  encoder = register_module("encoder", BertEncoder(c));
  // With per-exit poolers the classifier owns them; an unused shared one
  // would only be a parameter that never trains.
  if (c.exit_poolers == "shared") pooler = register_module("pooler", BertPooler(c));
  for (const auto& m : *encoder->layer) layers.push_back(BertLayer(std::dynamic_pointer_cast<BertLayerImpl>(m)));
}

torch::Tensor BertModelImpl::embed(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids) {
  return embeddings(input_ids, token_type_ids);
}

torch::Tensor BertModelImpl::mask_bias(const torch::Tensor& attention_mask) {
  // A large finite negative rather than -inf: exp() still underflows to exactly
  // 0, so padding cannot change a token's result, and no NaN can appear.
  auto bias = (1.0 - attention_mask.to(torch::kFloat)) * -1e9;
  return bias.unsqueeze(1).unsqueeze(2);
}

torch::Tensor BertModelImpl::run_layer(int index, const torch::Tensor& hidden, const torch::Tensor& bias) {
  return layers.at(static_cast<size_t>(index))->forward(hidden, bias);
}

torch::Tensor BertModelImpl::summarize(const torch::Tensor& hidden, const torch::Tensor& attention_mask) const {
  if (config.pooling == "mean") {
    auto mask = attention_mask.to(hidden.scalar_type()).unsqueeze(-1);
    return (hidden * mask).sum(1) / mask.sum(1).clamp_min(1.0);
  }
  return hidden.select(1, 0);
}

torch::Tensor BertModelImpl::pool(const torch::Tensor& hidden, const torch::Tensor& attention_mask) {
  if (!pooler) throw Error("BertModel::pool: this model has per-exit poolers (exit_poolers 'per_exit'), no shared one");
  return pooler(summarize(hidden, attention_mask));
}

BertClassifierImpl::BertClassifierImpl(const BertConfig& c) : config(c) {
  config.validate();
  bert = register_module("bert", BertModel(c));
  exits = register_module("exits", torch::nn::ModuleList());
  for (size_t i = 0; i < c.exit_layers.size(); ++i) exits->push_back(make_linear(c.hidden_size, c.num_labels));
  if (c.exit_poolers == "per_exit") {
    exit_poolers = register_module("exit_poolers", torch::nn::ModuleList());
    for (size_t i = 0; i < c.exit_layers.size(); ++i) exit_poolers->push_back(BertPooler(c));
  }
  dropout = register_module("dropout", HashedDropout(c.hidden_dropout_prob));
}

torch::Tensor BertClassifierImpl::exit_logits(int exit_index, const torch::Tensor& hidden,
                                              const torch::Tensor& attention_mask) {
  const auto index = static_cast<size_t>(exit_index);
  BertPoolerImpl& pooler = exit_poolers ? *exit_poolers[index]->as<BertPoolerImpl>() : *bert->pooler;
  auto pooled = dropout(pooler.forward(bert->summarize(hidden, attention_mask)));
  return exits[index]->as<torch::nn::Linear>()->forward(pooled);
}

std::vector<torch::Tensor> BertClassifierImpl::forward(const ModelInput& input) {
  return forward_with(input, ForwardOptions{}).logits;
}

ForwardResult BertClassifierImpl::forward_with(const ModelInput& input, const ForwardOptions& options) {
  if (!options.skip_layers.empty() && static_cast<int>(options.skip_layers.size()) != config.num_hidden_layers) {
    throw std::invalid_argument("skip_layers has " + std::to_string(options.skip_layers.size()) + " entries for " +
                                std::to_string(config.num_hidden_layers) + " layers");
  }
  auto hidden = bert->embed(input.input_ids, input.token_type_ids);
  auto bias = BertModelImpl::mask_bias(input.attention_mask);
  ForwardResult result;
  size_t next_exit = 0;
  for (int layer = 0; layer < config.num_hidden_layers; ++layer) {
    const bool skipped = !options.skip_layers.empty() && options.skip_layers[static_cast<size_t>(layer)];
    if (!skipped) hidden = bert->run_layer(layer, hidden, bias);
    if (options.keep_hidden) result.hidden.push_back(hidden);
    if (next_exit < config.exit_layers.size() && config.exit_layers[next_exit] == layer) {
      result.logits.push_back(exit_logits(static_cast<int>(next_exit), hidden, input.attention_mask));
      ++next_exit;
    }
  }
  return result;
}

int64_t BertClassifierImpl::parameter_count() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

BertClassifier clone_classifier(const BertClassifier& source) {
  BertClassifier copy(source->config);
  torch::NoGradGuard no_grad;
  auto from = source->named_parameters();
  for (auto& item : copy->named_parameters()) item.value().copy_(from[item.key()]);
  auto from_buffers = source->named_buffers();
  for (auto& item : copy->named_buffers()) item.value().copy_(from_buffers[item.key()]);
  copy->eval();
  return copy;
}

}  // namespace greenbench
