#include "train/mlm_pretraining.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <unordered_set>

#include "data/batching.h"
#include "greenbench/bert/fused_adamw.h"
#include "greenbench/bert/precision.h"
#include "greenbench/bert/trainer.h"
#include "util/progress.h"

namespace greenbench {
namespace {
// 53 random bits to a double in [0, 1): the same draw with any standard library.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

double mean_of(const std::vector<double>& values, size_t begin, size_t end) {
  double sum = 0;
  for (size_t i = begin; i < end; ++i) sum += values[i];
  return end > begin ? sum / static_cast<double>(end - begin) : 0.0;
}
}  // namespace

nlohmann::json PretrainOptions::to_json() const {
  nlohmann::json j = {{"objective", "masked language model (BERT), on the task's training text"},
                      {"mask_probability", mask_probability},
                      {"replacement", "80% [MASK], 10% random token, 10% unchanged"}};
  add_to_json(j);
  return j;
}

void PretrainOptions::update_from_json(const nlohmann::json& j) {
  OptimizerOptions::update_from_json(j);
  if (j.contains("mask_probability")) j.at("mask_probability").get_to(mask_probability);
}

void PretrainOptions::validate() const {
  if (!(epochs >= 0)) throw std::invalid_argument("pretrain epochs must be >= 0, got " + std::to_string(epochs));
  if (batch_size < 1) throw std::invalid_argument("pretrain batch size must be >= 1, got " + std::to_string(batch_size));
  if (!(mask_probability > 0 && mask_probability < 1))
    throw std::invalid_argument("mask probability must be in (0, 1), got " + std::to_string(mask_probability));
  if (!(learning_rate > 0)) throw std::invalid_argument("pretrain learning rate must be > 0, got " + std::to_string(learning_rate));
}

MaskedBatch mask_tokens(const Batch& batch, const MaskingVocab& vocab, double p, std::mt19937_64& rng) {
  if (vocab.mask_id < 0) throw std::invalid_argument("the vocabulary has no [MASK] token, which pretraining needs");
  const std::unordered_set<int32_t> never(vocab.never_masked.begin(), vocab.never_masked.end());
  if (static_cast<int32_t>(never.size()) >= vocab.size) throw std::invalid_argument("no token of the vocabulary can be drawn");
  auto ids = batch.input.input_ids.to(torch::kLong).contiguous().clone();
  auto mask = batch.input.attention_mask.to(torch::kLong).contiguous();
  auto targets = torch::full_like(ids, -100);
  int64_t* id = ids.data_ptr<int64_t>();
  int64_t* target = targets.data_ptr<int64_t>();
  const int64_t* real = mask.data_ptr<int64_t>();
  const int64_t n = ids.numel();
  auto maskable = [&](int64_t i) { return real[i] != 0 && !never.count(static_cast<int32_t>(id[i])); };
  auto replace = [&](int64_t i) {
    target[i] = id[i];
    const double r = uniform01(rng);
    if (r < 0.8) {
      id[i] = vocab.mask_id;
    } else if (r < 0.9) {
      int32_t drawn;
      do drawn = static_cast<int32_t>(uniform01(rng) * vocab.size); while (never.count(drawn));
      id[i] = drawn;
    }
  };
  MaskedBatch out;
  int64_t first_maskable = -1;
  for (int64_t i = 0; i < n; ++i) {
    if (!maskable(i)) continue;
    if (first_maskable < 0) first_maskable = i;
    if (uniform01(rng) < p) {
      replace(i);
      ++out.chosen;
    }
  }
  // A batch of short texts can draw nothing; one target keeps the loss defined.
  if (out.chosen == 0 && first_maskable >= 0) {
    replace(first_maskable);
    out.chosen = 1;
  }
  out.input = {ids, batch.input.token_type_ids, batch.input.attention_mask};
  out.targets = targets;
  return out;
}

MlmHeadImpl::MlmHeadImpl(const BertConfig& config) {
  dense = register_module("dense", torch::nn::Linear(config.hidden_size, config.hidden_size));
  LayerNorm = register_module(
      "LayerNorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps)));
  bias = register_parameter("bias", torch::zeros({config.vocab_size}));
}

torch::Tensor MlmHeadImpl::forward(const torch::Tensor& hidden, const torch::Tensor& word_embeddings) {
  // LibTorch 1.13's CPU LayerNorm wants fp32 input under bf16 autocast (the
  // encoder's get it from the fp32 residual sum).
  auto x = LayerNorm(torch::gelu(dense(hidden)).to(torch::kFloat));
  return torch::nn::functional::linear(x, word_embeddings, bias);
}

nlohmann::json PretrainStats::to_json() const {
  return {{"steps", steps},
          {"examples", examples},
          {"tokens", tokens},
          {"predicted_tokens", predicted_tokens},
          {"seconds", seconds},
          {"cpu_seconds", cpu_seconds},
          {"first_loss", first_loss},
          {"final_loss", final_loss},
          {"final_accuracy", final_accuracy},
          {"precision", precision}};
}

PretrainStats pretrain_mlm(BertModel& encoder, const EncodedSet& texts, const MaskingVocab& vocab,
                           const PretrainOptions& options) {
  options.validate();
  if (texts.size() == 0) throw std::invalid_argument("pretraining needs at least one text");
  const Precision precision = resolve_precision(options.precision);
  ThreadLayoutScope layout(precision);
  torch::manual_seed(options.seed);
  std::mt19937_64 order_rng(options.seed), mask_rng(options.seed ^ 0x4d61736b4c4dULL);
  MlmHead head(encoder->config);
  encoder->train();
  head->train();

  // The pooler is not on the MLM path; it keeps its initial weights.
  FusedAdamW::Group decayed{{}, options.weight_decay}, not_decayed{{}, 0.0};
  std::vector<torch::Tensor> trained;
  auto add = [&](const std::string& name, const torch::Tensor& p) {
    (skips_weight_decay(name) ? not_decayed : decayed).params.push_back(p);
    trained.push_back(p);
  };
  for (const auto& item : encoder->embeddings->named_parameters()) add(item.key(), item.value());
  for (const auto& item : encoder->encoder->named_parameters()) add(item.key(), item.value());
  for (const auto& item : head->named_parameters()) add(item.key(), item.value());
  FusedAdamW optimizer({decayed, not_decayed}, 0.9, 0.999, 1e-6);

  const int64_t steps_per_epoch = static_cast<int64_t>((texts.size() + options.batch_size - 1) / options.batch_size);
  const int64_t total_steps = std::max<int64_t>(1, std::llround(options.epochs * static_cast<double>(steps_per_epoch)));
  const int whole_epochs = static_cast<int>(std::ceil(options.epochs));

  PretrainStats stats;
  stats.precision = to_string(precision);
  std::vector<double> losses, accuracies;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  ProgressBar bar(options.progress_label, std::min<int64_t>(total_steps * options.batch_size,
                                                            std::llround(options.epochs * static_cast<double>(texts.size()))));
  double running = 0;
  for (int epoch = 0; epoch < whole_epochs && stats.steps < total_steps; ++epoch) {
    for (const auto& indices : bucketed_batches(texts, options.batch_size, order_rng)) {
      if (stats.steps >= total_steps) break;
      const Batch batch = collate(texts, indices);
      const MaskedBatch masked = mask_tokens(batch, vocab, options.mask_probability, mask_rng);
      if (masked.chosen == 0) continue;  // only special tokens: nothing to predict
      const double lr = scheduled_lr(options.learning_rate, options.warmup_fraction, stats.steps, total_steps);
      optimizer.zero_grad();
      torch::Tensor loss, correct;
      {
        AutocastScope autocast(precision == Precision::bf16);
        auto hidden = encoder->embed(masked.input.input_ids, masked.input.token_type_ids);
        const auto bias = BertModelImpl::mask_bias(masked.input.attention_mask);
        for (int layer = 0; layer < encoder->config.num_hidden_layers; ++layer) hidden = encoder->run_layer(layer, hidden, bias);
        const auto flat_targets = masked.targets.reshape({-1});
        const auto where = flat_targets.ne(-100).nonzero().squeeze(1);
        const auto chosen_hidden = hidden.reshape({-1, hidden.size(-1)}).index_select(0, where);
        const auto logits = head->forward(chosen_hidden, encoder->embeddings->word_embeddings->weight).to(torch::kFloat);
        const auto wanted = flat_targets.index_select(0, where);
        loss = torch::nn::functional::cross_entropy(logits, wanted);
        correct = logits.argmax(1).eq(wanted).sum();
      }
      loss.backward();
      torch::nn::utils::clip_grad_norm_(trained, options.max_grad_norm);
      optimizer.step(lr);

      const double value = loss.item<double>();
      losses.push_back(value);
      accuracies.push_back(correct.item<double>() / static_cast<double>(masked.chosen));
      running = stats.steps == 0 ? value : 0.98 * running + 0.02 * value;
      stats.steps += 1;
      stats.examples += static_cast<int64_t>(indices.size());
      stats.predicted_tokens += masked.chosen;
      for (int len : batch.lengths) stats.tokens += len;
      char status[96];
      std::snprintf(status, sizeof status, "epoch %d, MLM loss %.3f, lr %.2e", epoch + 1, running, lr);
      bar.advance(static_cast<int64_t>(indices.size()), status);
    }
  }
  bar.finish();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stats.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const size_t tail = std::max<size_t>(1, losses.size() / 10);
  stats.first_loss = mean_of(losses, 0, std::min(tail, losses.size()));
  stats.final_loss = mean_of(losses, losses.size() - tail, losses.size());
  stats.final_accuracy = mean_of(accuracies, accuracies.size() - tail, accuracies.size());
  encoder->eval();
  return stats;
}

}  // namespace greenbench
