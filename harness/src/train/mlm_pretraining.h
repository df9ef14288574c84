// Masked-language-model pretraining of the encoder on a task's own training
// text (BERT's objective, Devlin et al. 2019: 15% of the tokens chosen; of
// those 80% become [MASK], 10% a random token, 10% stay; predict the
// originals). The paper's truncated baselines and early exit both start from
// a pretrained BERT; from scratch, one layer here is as good as four and
// depth has nothing to offer early exit (results/reference/seeds). No
// pretrained weights can be downloaded here, so this pretrains on the task's
// training split, without its labels.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "data/batching.h"
#include "greenbench/bert/bert.h"
#include "greenbench/bert/trainer.h"

namespace greenbench {

/// epochs 0 (the default): no pretraining. The seed is its own, not the
/// run's, so fine-tuning seeds can share one pretrained encoder (as they
/// share one BERT in the paper).
struct PretrainOptions : OptimizerOptions {
  PretrainOptions() { epochs = 0; }
  double mask_probability = 0.15;
  std::string precision = "auto";  ///< as TrainOptions::precision; the runner passes the suite's
  std::string progress_label = "pretrain";

  bool enabled() const { return epochs > 0; }
  nlohmann::json to_json() const;
  /// Applies the keys of to_json() present in `j` (a record's settings).
  void update_from_json(const nlohmann::json& j);
  /// Throws std::invalid_argument naming the bad value.
  void validate() const;
};

/// The vocabulary facts masking needs.
struct MaskingVocab {
  int32_t mask_id = -1;
  int32_t size = 0;
  std::vector<int32_t> never_masked;  ///< [PAD] [CLS] [SEP] [UNK]...: neither chosen nor drawn as random tokens
};

/// A batch with some tokens replaced, and what to predict.
struct MaskedBatch {
  ModelInput input;      ///< input_ids with the replacements; the rest as given
  torch::Tensor targets; ///< [B,S] int64: the original id where chosen, -100 elsewhere
  int64_t chosen = 0;    ///< tokens to predict
};

/// Chooses each real, maskable token with probability p (at least one per
/// batch when any is maskable) and replaces it as BERT does. The draws come
/// from `rng` alone (53-bit doubles), so they are the same on any machine.
MaskedBatch mask_tokens(const Batch& batch, const MaskingVocab& vocab, double p, std::mt19937_64& rng);

/// BERT's prediction head (HF names "cls.predictions.*"): dense + GELU +
/// LayerNorm, then the word embeddings transposed (tied) plus a bias.
struct MlmHeadImpl : torch::nn::Module {
  explicit MlmHeadImpl(const BertConfig& config);
  /// hidden [N,H] of the chosen positions -> logits [N,V].
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& word_embeddings);
  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  torch::Tensor bias;
};
TORCH_MODULE(MlmHead);

struct PretrainStats {
  int64_t steps = 0, examples = 0, tokens = 0, predicted_tokens = 0;
  double seconds = 0, cpu_seconds = 0;
  double first_loss = 0, final_loss = 0;  ///< mean over the first / last 10% of steps
  double final_accuracy = 0;              ///< of the predictions over the last 10% of steps
  std::string precision;
  nlohmann::json to_json() const;
};

/// Pretrains `encoder` (embeddings and every layer) in place on `texts`
/// (their labels unused); the head is built here and dropped after.
/// Deterministic for the same seed and thread count.
PretrainStats pretrain_mlm(BertModel& encoder, const EncodedSet& texts, const MaskingVocab& vocab,
                           const PretrainOptions& options);

}  // namespace greenbench
