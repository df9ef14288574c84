#include "greenbench/bert/trainer.h"

#include <ctime>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

#include "data/batching.h"
#include "greenbench/bert/fused_adamw.h"
#include "greenbench/bert/precision.h"
#include "util/progress.h"

namespace greenbench {
namespace {
double cpu_now() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

double scheduled_lr(double peak, double warmup_fraction, int64_t step, int64_t total) {
  const int64_t warmup = static_cast<int64_t>(std::round(warmup_fraction * total));
  if (step < warmup) return peak * static_cast<double>(step + 1) / static_cast<double>(warmup);
  const double left = static_cast<double>(total - step) / static_cast<double>(std::max<int64_t>(1, total - warmup));
  return peak * std::max(0.0, left);
}

bool skips_weight_decay(const std::string& name) {
  return name.find("bias") != std::string::npos || name.find("LayerNorm") != std::string::npos;
}

nlohmann::json TrainStats::to_json() const {
  return {{"steps", steps},
          {"examples", examples},
          {"tokens", tokens},
          {"seconds", seconds},
          {"cpu_seconds", cpu_seconds},
          {"final_loss", final_loss},
          {"precision", precision},
          {"selection_accuracy", selection_accuracy},
          {"selected_epoch", selected_epoch}};
}

namespace {
FusedAdamW make_optimizer(BertClassifier& model, const TrainOptions& options) {
  FusedAdamW::Group decayed{{}, options.weight_decay}, not_decayed{{}, 0.0};
  for (const auto& item : model->named_parameters()) {
    (skips_weight_decay(item.key()) ? not_decayed : decayed).params.push_back(item.value());
  }
  return FusedAdamW({decayed, not_decayed}, 0.9, 0.999, 1e-6);
}

std::vector<double> exit_weights(const TrainOptions& options, int num_exits) {
  std::vector<double> weights = options.exit_loss_weights;
  if (weights.empty()) weights.assign(static_cast<size_t>(num_exits), 1.0);
  if (static_cast<int>(weights.size()) != num_exits) {
    throw std::invalid_argument("exit_loss_weights has " + std::to_string(weights.size()) + " entries for " +
                                std::to_string(num_exits) + " exits");
  }
  return weights;
}
}  // namespace

TrainingStep::TrainingStep(BertClassifier& model, const TrainOptions& options, Precision precision, LossHook hook)
    : model_(model),
      optimizer_(make_optimizer(model, options)),
      weights_(exit_weights(options, model->num_exits())),
      max_grad_norm_(options.max_grad_norm),
      precision_(precision),
      hook_(std::move(hook)),
      layerdrop_(options.layerdrop),
      layer_rng_(options.seed ^ 0x4c61796572447270ULL) {
  if (!(layerdrop_ >= 0 && layerdrop_ < 1)) throw std::invalid_argument("layerdrop must be in [0, 1), got " + std::to_string(layerdrop_));
}

std::vector<bool> TrainingStep::draw_skipped_layers() {
  if (layerdrop_ == 0) return {};
  std::vector<bool> skip(static_cast<size_t>(model_->config.num_hidden_layers));
  // 53 random bits to a double in [0, 1): the same draw with any standard library.
  for (size_t i = 0; i < skip.size(); ++i) skip[i] = static_cast<double>(layer_rng_() >> 11) * 0x1.0p-53 < layerdrop_;
  return skip;
}

double TrainingStep::run(const Batch& batch, double lr) {
  optimizer_.zero_grad();
  auto loss = torch::zeros({}, torch::kFloat);
  {
    AutocastScope autocast(precision_ == Precision::bf16);
    ForwardOptions forward_options;
    forward_options.skip_layers = draw_skipped_layers();
    forward_options.keep_hidden = hook_.loss && hook_.needs_hidden;
    ForwardResult result = model_->forward_with(batch.input, forward_options);
    if (hook_.loss) {
      loss = hook_.loss(batch, result).to(torch::kFloat);
    } else {
      for (size_t e = 0; e < result.logits.size(); ++e) {
        loss = loss + weights_[e] * torch::nn::functional::cross_entropy(result.logits[e].to(torch::kFloat), batch.labels);
      }
    }
  }
  loss.backward();
  torch::nn::utils::clip_grad_norm_(model_->parameters(), max_grad_norm_);
  optimizer_.step(lr);
  return loss.item<double>();
}

TrainStats train_classifier(BertClassifier& model, const EncodedSet& train, const TrainOptions& options,
                            const EncodedSet* selection, const LossHook& hook) {
  const Precision precision = resolve_precision(options.precision);
  ThreadLayoutScope layout(precision);
  torch::manual_seed(options.seed);
  std::mt19937_64 rng(options.seed);
  model->train();

  TrainingStep step(model, options, precision, hook);

  const int whole_epochs = static_cast<int>(std::ceil(options.epochs));
  const int64_t steps_per_epoch = static_cast<int64_t>((train.size() + options.batch_size - 1) / options.batch_size);
  const int64_t total_steps = std::max<int64_t>(1, static_cast<int64_t>(std::llround(options.epochs * steps_per_epoch)));

  TrainStats stats;
  stats.precision = to_string(precision);
  const bool selecting = selection != nullptr && selection->size() > 0 && options.select_best_epoch;
  double best_accuracy = -1;
  std::vector<torch::Tensor> best_weights;
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_now();
  ProgressBar bar(options.progress_label,
                  std::min<int64_t>(total_steps * options.batch_size,
                                    static_cast<int64_t>(std::llround(options.epochs * static_cast<double>(train.size())))));
  std::vector<double> recent_losses;
  double running = 0;
  for (int epoch = 0; epoch < whole_epochs && stats.steps < total_steps; ++epoch) {
    for (const auto& indices : bucketed_batches(train, options.batch_size, rng)) {
      if (stats.steps >= total_steps) break;
      Batch batch = collate(train, indices);
      const double lr = scheduled_lr(options.learning_rate, options.warmup_fraction, stats.steps, total_steps);

      const double value = step.run(batch, lr);
      running = stats.steps == 0 ? value : 0.98 * running + 0.02 * value;
      recent_losses.push_back(value);
      stats.steps += 1;
      stats.examples += static_cast<int64_t>(indices.size());
      for (int len : batch.lengths) stats.tokens += len;
      char status[96];
      std::snprintf(status, sizeof status, "epoch %d, loss %.4f, lr %.2e", epoch + 1, running, lr);
      bar.advance(static_cast<int64_t>(indices.size()), status);
    }
    if (selecting) {
      ThreadLayoutScope evaluation(Precision::fp32);  // the selection pass runs in fp32
      const double accuracy = mean_exit_accuracy(model, *selection);
      model->train();
      stats.selection_accuracy.push_back(accuracy);
      if (accuracy > best_accuracy) {
        best_accuracy = accuracy;
        stats.selected_epoch = epoch + 1;
        best_weights.clear();
        for (const auto& p : model->parameters()) best_weights.push_back(p.detach().clone());
      }
    }
  }
  bar.finish();
  if (selecting && !best_weights.empty()) {
    torch::NoGradGuard no_grad;
    auto params = model->parameters();
    for (size_t i = 0; i < params.size(); ++i) params[i].copy_(best_weights[i]);
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stats.cpu_seconds = cpu_now() - cpu_start;
  const size_t tail = std::max<size_t>(1, recent_losses.size() / 10);
  double sum = 0;
  for (size_t i = recent_losses.size() - tail; i < recent_losses.size(); ++i) sum += recent_losses[i];
  stats.final_loss = sum / static_cast<double>(tail);
  model->eval();
  return stats;
}

double mean_exit_accuracy(BertClassifier& model, const EncodedSet& set) {
  auto logits = exit_logits_all(model, set);
  auto labels = torch::tensor(set.labels, torch::kLong);
  double sum = 0;
  for (const auto& l : logits) sum += l.argmax(1).eq(labels).to(torch::kDouble).mean().item<double>();
  return logits.empty() ? 0.0 : sum / static_cast<double>(logits.size());
}

std::vector<torch::Tensor> exit_logits_all(BertClassifier& model, const EncodedSet& set, int batch_size) {
  torch::NoGradGuard no_grad;
  model->eval();
  const int num_exits = model->num_exits();
  const int64_t n = static_cast<int64_t>(set.size());
  std::vector<torch::Tensor> out;
  for (int e = 0; e < num_exits; ++e) out.push_back(torch::empty({n, model->config.num_labels}, torch::kFloat));
  for (const auto& indices : sorted_batches(set, batch_size)) {
    Batch batch = collate(set, indices);
    auto logits = model->forward(batch.input);
    auto where = torch::tensor(indices, torch::kLong);
    for (int e = 0; e < num_exits; ++e) out[e].index_copy_(0, where, logits[e]);
  }
  return out;
}

}  // namespace greenbench
