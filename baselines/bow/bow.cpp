// bow: the cheapest honest baseline, a bag of hashed word-piece uni- and
// bigrams averaged into one linear layer (fastText-style), trained with Adam:
// lazy (sparse) Adam on the embedding table, dense Adam on the linear layer.
// Every transformer's price tag on the leaderboard is read against it.
// It trains with its own epochs, batch size and learning rate (its config:
// fastText's values, far from a transformer's); the run's settings of those
// names (--epochs, --batch-size, --lr, a suite's) do not reach it, and it
// says so on stderr and in its record rather than ignoring them silently.
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>

#include "bag_of_ngrams.h"
#include "data/batching.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "lazy_adam.h"
#include "model/safetensors.h"
#include "util/progress.h"
#include "util/sha256.h"

namespace greenbench {
namespace {

// The run's training settings that bow does not read, as its record names
// them. When a suite or the command line changed them from the harness's
// defaults, a note on stderr says they do not apply and how to set bow's own.
nlohmann::json run_settings_not_used(const TrainOptions& run, int epochs, int batch_size, double learning_rate) {
  const TrainOptions defaults;
  if (run.epochs != defaults.epochs || run.batch_size != defaults.batch_size || run.learning_rate != defaults.learning_rate) {
    std::fprintf(stderr,
                 "bow: the run's epochs %g, batch_size %d, learning_rate %g do not apply to bow, which trains %d epochs, "
                 "batch size %d, learning rate %g from its own config; set those with --config "
                 "'{\"epochs\": N, \"batch_size\": B, \"learning_rate\": X}'\n",
                 run.epochs, run.batch_size, run.learning_rate, epochs, batch_size, learning_rate);
  }
  return {{"epochs", run.epochs}, {"batch_size", run.batch_size}, {"learning_rate", run.learning_rate},
          {"note", "bow trains with its config's epochs, batch_size and learning_rate, not the run's"}};
}

class Bow : public Method {
 public:
  nlohmann::json train(MethodContext& context) override {
    configure(context.config);
    shape_.num_labels = context.model_config.num_labels;
    torch::manual_seed(context.train_options.seed);
    model_ = BagOfNgrams(shape_);
    const int batch_size = context.config.value("batch_size", 32);
    const int epochs = context.config.value("epochs", 20);
    const double peak_lr = context.config.value("learning_rate", 1e-2);
    const nlohmann::json not_used = run_settings_not_used(context.train_options, epochs, batch_size, peak_lr);
    // A dense Adam step over the 2^20 x 16 table took ~0.3 s a batch; the
    // lazy one touches only the batch's n-grams.
    torch::optim::Adam optimizer(model_->classifier->parameters(), torch::optim::AdamOptions(peak_lr));
    LazyAdam table_optimizer(model_->embedding->weight, peak_lr);

    std::vector<int64_t> order(context.train.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(context.train_options.seed);
    const int64_t steps_per_epoch = (static_cast<int64_t>(order.size()) + batch_size - 1) / batch_size;
    const int64_t total_steps = std::max<int64_t>(1, steps_per_epoch * epochs);
    ProgressBar bar(context.train_options.progress_label, static_cast<int64_t>(order.size()) * epochs, "ex");
    std::vector<double> selection;
    torch::Tensor best_embedding, best_weight, best_bias;
    double best = -1;
    int best_epoch = 0;
    int64_t step = 0;
    double loss_sum = 0;
    for (int epoch = 1; epoch <= epochs; ++epoch) {
      model_->train();
      std::shuffle(order.begin(), order.end(), rng);
      for (size_t start = 0; start < order.size(); start += static_cast<size_t>(batch_size)) {
        std::vector<int64_t> indices(order.begin() + static_cast<std::ptrdiff_t>(start),
                                     order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + batch_size)));
        // Linear decay to zero, as fastText does.
        const double lr = peak_lr * (1.0 - static_cast<double>(step) / total_steps);
        for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
        table_optimizer.set_lr(lr);
        std::vector<int64_t> labels;
        for (int64_t i : indices) labels.push_back(context.train.labels[static_cast<size_t>(i)]);
        auto logits = model_->forward(hash_ngrams(context.train, indices, shape_.max_ngram, shape_.buckets));
        auto loss = torch::nn::functional::cross_entropy(logits, torch::tensor(labels, torch::kLong));
        optimizer.zero_grad();
        model_->embedding->weight.mutable_grad() = torch::Tensor();  // a fresh sparse gradient each step
        loss.backward();
        optimizer.step();
        table_optimizer.step();
        loss_sum += loss.item<double>();
        ++step;
        bar.advance(static_cast<int64_t>(indices.size()));
      }
      // Keep the epoch that scores best on the calibration role, as the BERT methods do.
      const double accuracy = evaluate(context.calibration);
      selection.push_back(accuracy);
      if (accuracy > best) {
        best = accuracy;
        best_epoch = epoch;
        best_embedding = model_->embedding->weight.detach().clone();
        best_weight = model_->classifier->weight.detach().clone();
        best_bias = model_->classifier->bias.detach().clone();
      }
    }
    bar.finish();
    {
      torch::NoGradGuard no_grad;
      model_->embedding->weight.copy_(best_embedding);
      model_->classifier->weight.copy_(best_weight);
      model_->classifier->bias.copy_(best_bias);
    }
    model_->eval();
    return {{"train_stats",
             {{"steps", step}, {"epochs", epochs}, {"mean_loss", step ? loss_sum / step : 0.0},
              {"selection_accuracy", selection}, {"selected_epoch", best_epoch}, {"precision", "fp32"}}},
            {"train_options",
             {{"optimizer", "Adam (lazy on the embedding rows a batch touches)"}, {"learning_rate", peak_lr}, {"schedule", "linear decay to 0"},
              {"batch_size", batch_size}, {"epochs", epochs}, {"seed", context.train_options.seed},
              {"run_settings_not_used", not_used}}}};
  }

  std::vector<OperatingPoint> operating_points() const override { return {{"full", nlohmann::json::object()}}; }

  void predict(const Batch& batch, const OperatingPoint&, std::vector<Prediction>& out) override {
    torch::NoGradGuard no_grad;
    auto probs = torch::softmax(model_->forward(hash_ngrams(batch, shape_.max_ngram, shape_.buckets)), 1);
    auto [confidence, label] = probs.max(1);
    const auto labels = label.accessor<int64_t, 1>();
    const auto confidences = confidence.accessor<float, 1>();
    out.assign(batch.lengths.size(), Prediction{});
    for (size_t r = 0; r < out.size(); ++r) {
      out[r].label = static_cast<int>(labels[static_cast<int64_t>(r)]);
      out[r].confidence = confidences[static_cast<int64_t>(r)];
    }
  }

  ModelShape shape_at(const OperatingPoint&) const override {
    int64_t parameters = 0;
    for (const auto& p : model_->parameters()) parameters += p.numel();
    ModelShape shape = ModelShape::of_bag_of_ngrams(shape_, parameters);
    shape.weight_bytes = 4 * parameters;
    return shape;
  }

  std::string save(const std::string& dir) override {
    std::map<std::string, torch::Tensor> tensors;
    for (const auto& item : model_->named_parameters()) tensors[item.key()] = item.value().detach();
    write_safetensors(dir + "/model.safetensors", tensors, {{"format", "greenbench-bow"}});
    return sha256_file(dir + "/model.safetensors");
  }

  void load(const std::string& dir, const nlohmann::json& config) override {
    configure(config);
    SafetensorsFile file = read_safetensors(dir + "/model.safetensors");
    const auto& classifier = file.tensors.at("classifier.weight");
    shape_.num_labels = static_cast<int>(classifier.size(0));
    model_ = BagOfNgrams(shape_);
    torch::NoGradGuard no_grad;
    for (auto& item : model_->named_parameters()) {
      auto it = file.tensors.find(item.key());
      if (it == file.tensors.end()) throw Error(dir + "/model.safetensors: no tensor '" + item.key() + "'");
      if (it->second.sizes() != item.value().sizes())
        throw Error(dir + "/model.safetensors: '" + item.key() + "' has the wrong shape for this configuration");
      item.value().copy_(it->second);
    }
    model_->eval();
  }

 private:
  void configure(const nlohmann::json& config) {
    shape_.embedding_dim = config.at("embedding_dim").get<int>();
    shape_.max_ngram = config.at("max_ngram").get<int>();
    shape_.buckets = config.at("buckets").get<int64_t>();
    if (shape_.embedding_dim < 1 || shape_.max_ngram < 1 || shape_.buckets < 1)
      throw Error("bow: embedding_dim, max_ngram and buckets must be positive");
  }

  double evaluate(const EncodedSet& set) {
    torch::NoGradGuard no_grad;
    model_->eval();
    int64_t correct = 0;
    for (const auto& indices : sorted_batches(set, 256)) {
      auto logits = model_->forward(hash_ngrams(set, indices, shape_.max_ngram, shape_.buckets));
      auto predicted = logits.argmax(1);
      for (size_t i = 0; i < indices.size(); ++i)
        correct += predicted[static_cast<int64_t>(i)].item<int64_t>() == set.labels[static_cast<size_t>(indices[i])];
    }
    return set.size() ? static_cast<double>(correct) / set.size() : 0.0;
  }

  BagOfNgramsShape shape_;
  BagOfNgrams model_{nullptr};
};

}  // namespace

void register_method_bow(MethodRegistry& registry) {
  registry.add({"bow", "baseline",
                "fastText-style bag of hashed word-piece uni- and bigrams, averaged, one linear layer; trains with its "
                "config's epochs, batch_size, learning_rate (not --epochs, --batch-size, --lr)",
                {{"embedding_dim", 16}, {"max_ngram", 2}, {"buckets", 1 << 20}, {"epochs", 20},
                 {"batch_size", 32}, {"learning_rate", 1e-2}},
                [] { return std::make_unique<Bow>(); }});
}

}  // namespace greenbench
