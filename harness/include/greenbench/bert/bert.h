// A BERT encoder in LibTorch with classifiers at several layers. Parameter
// names match Hugging Face's BertForSequenceClassification ("bert.encoder.
// layer.3.attention.self.query.weight"), with one classifier per exit
// ("exits.0.weight") in place of HF's single "classifier". Inference can run
// one layer at a time, so a method can stop early.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "greenbench/batch.h"
#include "greenbench/bert/dropout.h"
#include "greenbench/bert/quantizable_linear.h"
#include "greenbench/bert/version.h"
#include "greenbench/bert_config.h"

namespace greenbench {

struct BertEmbeddingsImpl : torch::nn::Module {
  explicit BertEmbeddingsImpl(const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids);
  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr}, token_type_embeddings{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  HashedDropout dropout{nullptr};
};
TORCH_MODULE(BertEmbeddings);

struct BertSelfAttentionImpl : torch::nn::Module {
  BertSelfAttentionImpl(const BertConfig& config, int num_heads);
  /// hidden [B,S,H], mask_bias [B,1,1,S] (0 for tokens, a large negative for padding).
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias);
  QuantizableLinear query{nullptr}, key{nullptr}, value{nullptr};
  HashedDropout dropout{nullptr};
  int num_heads, head_dim;
  /// Multipliers of each head's context (Michel et al.'s xi_h), [num_heads] or
  /// [B, num_heads], set only while pruning scores heads; undefined: forward is unchanged.
  torch::Tensor head_gate;
};
TORCH_MODULE(BertSelfAttention);

/// Dense + dropout + residual LayerNorm, used after attention and after the feed-forward.
struct BertOutputImpl : torch::nn::Module {
  BertOutputImpl(int in_features, const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& residual);
  QuantizableLinear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  HashedDropout dropout{nullptr};
};
TORCH_MODULE(BertOutput);

struct BertAttentionImpl : torch::nn::Module {
  BertAttentionImpl(const BertConfig& config, int num_heads);
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias);
  BertSelfAttention self{nullptr};
  BertOutput output{nullptr};
};
TORCH_MODULE(BertAttention);

struct BertIntermediateImpl : torch::nn::Module {
  BertIntermediateImpl(const BertConfig& config, int width);
  torch::Tensor forward(const torch::Tensor& x);
  QuantizableLinear dense{nullptr};
  /// Multipliers of each neuron's activation, [width] or [B, 1, width], set
  /// only while pruning scores neurons; undefined: forward is unchanged.
  torch::Tensor neuron_gate;
};
TORCH_MODULE(BertIntermediate);

/// Layer `index` of `config`, with that layer's heads and feed-forward width.
struct BertLayerImpl : torch::nn::Module {
  BertLayerImpl(const BertConfig& config, int index);
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias);
  BertAttention attention{nullptr};
  BertIntermediate intermediate{nullptr};
  BertOutput output{nullptr};
};
TORCH_MODULE(BertLayer);

struct BertEncoderImpl : torch::nn::Module {
  explicit BertEncoderImpl(const BertConfig& config);
  torch::nn::ModuleList layer{nullptr};
};
TORCH_MODULE(BertEncoder);

struct BertPoolerImpl : torch::nn::Module {
  explicit BertPoolerImpl(const BertConfig& config);
  torch::Tensor forward(const torch::Tensor& summary);
  QuantizableLinear dense{nullptr};
};
TORCH_MODULE(BertPooler);

/// The encoder ("bert.*" in HF names).
struct BertModelImpl : torch::nn::Module {
  explicit BertModelImpl(const BertConfig& config);
  torch::Tensor embed(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids);
  /// attention_mask [B,S] (1 token, 0 padding) -> additive bias [B,1,1,S].
  static torch::Tensor mask_bias(const torch::Tensor& attention_mask);
  torch::Tensor run_layer(int index, const torch::Tensor& hidden, const torch::Tensor& mask_bias);
  /// Summary [B,H] of a layer's output: [CLS], or the masked mean of its tokens.
  torch::Tensor summarize(const torch::Tensor& hidden, const torch::Tensor& attention_mask) const;
  /// Pooled summary [B,H] (summarize, then the pooler's dense + tanh).
  torch::Tensor pool(const torch::Tensor& hidden, const torch::Tensor& attention_mask);
  BertConfig config;
  BertEmbeddings embeddings{nullptr};
  BertEncoder encoder{nullptr};
  BertPooler pooler{nullptr};
  std::vector<BertLayer> layers;  // typed views of encoder->layer
};
TORCH_MODULE(BertModel);

/// Training-time variations of a forward pass.
struct ForwardOptions {
  /// LayerDrop: where skip_layers[i] is true, layer i is not run and its input
  /// passes on unchanged. Empty: every layer runs.
  std::vector<bool> skip_layers;
  /// Return every layer's output (hidden-state losses in distillation).
  bool keep_hidden = false;
};

struct ForwardResult {
  std::vector<torch::Tensor> logits;  ///< every exit, in exit order
  std::vector<torch::Tensor> hidden;  ///< each layer's output [B,S,H], when keep_hidden (a skipped layer: its input)
};

/// BERT with a linear classifier over the pooled summary at each exit layer.
struct BertClassifierImpl : torch::nn::Module {
  explicit BertClassifierImpl(const BertConfig& config);
  /// Logits of every exit, in exit order (training, analysis).
  std::vector<torch::Tensor> forward(const ModelInput& input);
  /// forward() with layers skipped or hidden states kept.
  ForwardResult forward_with(const ModelInput& input, const ForwardOptions& options);
  /// Logits [B,C] of exit `exit_index` from that layer's hidden states.
  torch::Tensor exit_logits(int exit_index, const torch::Tensor& hidden, const torch::Tensor& attention_mask);
  int num_exits() const { return static_cast<int>(config.exit_layers.size()); }
  int64_t parameter_count() const;
  BertConfig config;
  BertModel bert{nullptr};
  torch::nn::ModuleList exits{nullptr};
  /// One pooler per exit when config.exit_poolers is "per_exit"; else null
  /// and every exit reads bert->pooler.
  torch::nn::ModuleList exit_poolers{nullptr};
  HashedDropout dropout{nullptr};
};
TORCH_MODULE(BertClassifier);

/// A deep copy: the same config, parameters and buffers, in eval mode.
BertClassifier clone_classifier(const BertClassifier& source);

}  // namespace greenbench
