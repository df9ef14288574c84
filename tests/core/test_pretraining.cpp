// Masked-language pretraining: BERT's masking (which tokens, how many, how
// replaced, reproducible), the pretraining loop learns a predictable text and
// leaves the pooler alone, copying the encoder into a shallower classifier,
// and the runner: pretrain once per task, cache it, start methods from it,
// say so in the record; settings without pretraining hash as before.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <set>

#include "core_fixtures.h"
#include "data/batching.h"
#include "model/encoder_transfer.h"
#include "run/pretrained_encoder.h"
#include "run/runner.h"
#include "train/mlm_pretraining.h"

using namespace greenbench;
using namespace greenbench::core_test;
using Catch::Detail::Approx;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

constexpr int32_t kPad = 0, kUnk = 1, kMask = 4;

MaskingVocab test_vocab(int32_t size = 120) { return {kMask, size, {kPad, kUnk, kCls, kSep, kMask}}; }

Batch whole_set_batch(const EncodedSet& set) {
  std::vector<int64_t> all(set.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i);
  return collate(set, all);
}

// Each text repeats one pair of tokens, "a b a b ...": a masked token follows
// from its neighbours, which a model can learn in a few epochs.
EncodedSet alternating_set(size_t n, uint64_t seed, int vocab = 40) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> token(8, vocab - 1);
  std::uniform_int_distribution<int> length(8, 20);
  EncodedSet set;
  for (size_t i = 0; i < n; ++i) {
    const int32_t a = token(rng), b = token(rng);
    std::vector<int32_t> ids = {kCls};
    const int len = length(rng);
    for (int t = 0; t < len; ++t) ids.push_back(t % 2 ? b : a);
    ids.push_back(kSep);
    set.type_ids.emplace_back(ids.size(), 0);
    set.ids.push_back(std::move(ids));
    set.labels.push_back(0);
  }
  return set;
}

PretrainOptions quick_pretrain(double epochs) {
  PretrainOptions o;
  o.epochs = epochs;
  o.batch_size = 16;
  o.learning_rate = 2e-3;
  o.precision = "fp32";
  o.seed = 5;
  return o;
}

}  // namespace

TEST_CASE("mask_tokens chooses 15% of the real, maskable tokens and replaces them as BERT does", "[pretrain]") {
  const EncodedSet set = synthetic_set(400, 3);
  const Batch batch = whole_set_batch(set);
  std::mt19937_64 rng(11);
  const MaskedBatch masked = mask_tokens(batch, test_vocab(), 0.15, rng);

  const auto original = batch.input.input_ids.to(torch::kLong);
  const auto real = batch.input.attention_mask.to(torch::kLong);
  const std::set<int64_t> special = {kPad, kUnk, kCls, kSep, kMask};
  int64_t maskable = 0, chosen = 0, as_mask = 0, unchanged = 0, random = 0;
  for (int64_t i = 0; i < original.numel(); ++i) {
    const int64_t before = original.view(-1)[i].item<int64_t>();
    const int64_t after = masked.input.input_ids.view(-1)[i].item<int64_t>();
    const int64_t target = masked.targets.view(-1)[i].item<int64_t>();
    const bool can_mask = real.view(-1)[i].item<int64_t>() != 0 && !special.count(before);
    maskable += can_mask;
    if (target == -100) {
      CHECK(after == before);  // not chosen: untouched
      continue;
    }
    REQUIRE(can_mask);  // never padding, [CLS], [SEP]...
    CHECK(target == before);
    ++chosen;
    if (after == kMask) ++as_mask;
    else if (after == before) ++unchanged;
    else {
      ++random;
      CHECK_FALSE(special.count(after));
      CHECK(after < 120);
    }
  }
  CHECK(masked.chosen == chosen);
  CHECK(masked.targets.sizes() == original.sizes());
  CHECK(static_cast<double>(chosen) / maskable == Approx(0.15).margin(0.015));
  CHECK(static_cast<double>(as_mask) / chosen == Approx(0.8).margin(0.04));
  // A random draw equals the original 1 time in ~115; "unchanged" absorbs those.
  CHECK(static_cast<double>(unchanged) / chosen == Approx(0.1).margin(0.03));
  CHECK(static_cast<double>(random) / chosen == Approx(0.1).margin(0.03));
  CHECK(masked.input.attention_mask.equal(batch.input.attention_mask));
  CHECK(masked.input.token_type_ids.equal(batch.input.token_type_ids));
}

TEST_CASE("mask_tokens is reproducible from its generator and always leaves something to predict", "[pretrain]") {
  const Batch batch = whole_set_batch(synthetic_set(20, 4));
  std::mt19937_64 a(1), b(1), c(2);
  const MaskedBatch first = mask_tokens(batch, test_vocab(), 0.15, a);
  CHECK(mask_tokens(batch, test_vocab(), 0.15, b).input.input_ids.equal(first.input.input_ids));
  CHECK_FALSE(mask_tokens(batch, test_vocab(), 0.15, c).targets.equal(first.targets));

  SECTION("a batch that draws nothing still gets one target") {
    std::mt19937_64 rng(3);
    CHECK(mask_tokens(batch, test_vocab(), 1e-9, rng).chosen == 1);
  }
  SECTION("a batch of special tokens only has nothing to predict") {
    EncodedSet only_special;
    only_special.ids = {{kCls, kSep}, {kCls, kUnk, kSep}};
    only_special.type_ids = {{0, 0}, {0, 0, 0}};
    only_special.labels = {0, 0};
    std::mt19937_64 rng(3);
    const MaskedBatch masked = mask_tokens(whole_set_batch(only_special), test_vocab(), 0.5, rng);
    CHECK(masked.chosen == 0);
    CHECK(masked.targets.eq(-100).all().item<bool>());
  }
  SECTION("a vocabulary without [MASK] is refused") {
    MaskingVocab no_mask = test_vocab();
    no_mask.mask_id = -1;
    std::mt19937_64 rng(3);
    CHECK_THROWS_WITH(mask_tokens(batch, no_mask, 0.15, rng), Contains("[MASK]"));
  }
}

TEST_CASE("pretrain_mlm learns a predictable text, leaves the pooler alone and is reproducible", "[pretrain]") {
  single_thread();
  const EncodedSet texts = alternating_set(240, 8);
  const BertConfig config = tiny_config(2, 64, 40, {1});
  torch::manual_seed(1);
  BertClassifier model(config);
  const auto pooler_before = model->bert->pooler->dense->weight.clone();
  const auto layer_before = model->bert->layers[1]->output->dense->weight.clone();
  const PretrainStats stats = pretrain_mlm(model->bert, texts, test_vocab(40), quick_pretrain(12));

  CHECK(stats.steps == 12 * 15);
  CHECK(stats.examples == 12 * 240);
  CHECK(stats.predicted_tokens > 0);
  CHECK(stats.precision == "fp32");
  INFO("first loss " << stats.first_loss << ", final loss " << stats.final_loss << ", accuracy " << stats.final_accuracy);
  CHECK(stats.final_loss < 0.5 * stats.first_loss);
  CHECK(stats.final_accuracy > 0.6);  // chance is 1 in 32
  CHECK(model->bert->pooler->dense->weight.equal(pooler_before));
  CHECK_FALSE(model->bert->layers[1]->output->dense->weight.equal(layer_before));
  CHECK_FALSE(model->bert->is_training());

  torch::manual_seed(1);
  BertClassifier again(config);
  const PretrainStats again_stats = pretrain_mlm(again->bert, texts, test_vocab(40), quick_pretrain(12));
  CHECK(same_parameters(*model, *again));
  CHECK(again_stats.final_loss == stats.final_loss);

  PretrainOptions bad = quick_pretrain(1);
  bad.mask_probability = 1.5;
  CHECK_THROWS_WITH(pretrain_mlm(again->bert, texts, test_vocab(40), bad), Contains("mask probability"));
}

TEST_CASE("copy_encoder_layers starts a shallower model from a pretrained encoder's first layers", "[pretrain]") {
  torch::manual_seed(2);
  BertClassifier source(tiny_config(4, 64, 120, {3}));
  BertClassifier target(tiny_config(2, 64, 120, {1}));
  const auto pooler_before = target->bert->pooler->dense->weight.clone();
  const auto exit_before = target->exits->named_parameters().begin()->value().clone();
  CHECK(copy_encoder_layers(source->bert, target->bert) > 0);
  auto from = source->bert->named_parameters();
  for (const auto& item : target->bert->named_parameters()) {
    INFO(item.key());
    if (item.key().rfind("pooler.", 0) == 0) continue;
    CHECK(item.value().equal(*from.find(item.key())));
  }
  CHECK(target->bert->pooler->dense->weight.equal(pooler_before));
  CHECK(target->exits->named_parameters().begin()->value().equal(exit_before));

  BertClassifier deeper(tiny_config(5, 64, 120, {4}));
  CHECK_THROWS_WITH(copy_encoder_layers(source->bert, deeper->bert), Contains("5-layer model from a 4-layer encoder"));
  BertClassifier wider(tiny_config(2, 128, 120, {1}));
  CHECK_THROWS_WITH(copy_encoder_layers(source->bert, wider->bert), Contains("embeddings.word_embeddings.weight"));
}

TEST_CASE("the runner pretrains once per task, caches it and starts methods from it", "[pretrain][runner]") {
  SmallRun f;
  const nlohmann::json plain_settings = f.settings.to_json();
  CHECK_FALSE(plain_settings.contains("pretrain"));  // older records keep their hashes
  f.settings.pretrain = quick_pretrain(1);
  CHECK(f.settings.to_json().at("pretrain").at("epochs") == 1.0);

  PreparedTask prepared = prepare_task("sst2", f.settings);
  const std::string cache = pretrained_encoder_dir(prepared, f.settings);
  CHECK_FALSE(fs::exists(cache));
  TrainedMethod truncated = train_method(prepared, "truncated", {{"layers", 1}}, f.settings);
  REQUIRE(fs::exists(cache));
  const nlohmann::json& first = truncated.training.at("pretrained_encoder");
  CHECK(first.at("trained_inside_this_run") == true);
  CHECK(first.at("layers_copied") == 1);
  CHECK(first.at("stats").at("steps").get<int64_t>() > 0);
  CHECK(first.at("checkpoint") == cache);

  TrainedMethod early_exit = train_method(prepared, "early_exit", {{"thresholds", {0.9, 1.0}}}, f.settings);
  const nlohmann::json& second = early_exit.training.at("pretrained_encoder");
  CHECK(second.at("trained_inside_this_run") == false);
  CHECK(second.at("checkpoint_sha256") == first.at("checkpoint_sha256"));
  CHECK(second.at("layers_copied") == 2);

  // A saved run restores its settings with the pretraining, so its records hash the same.
  save_trained(prepared, truncated, f.settings, f.dir / "checkpoint");
  const RunSettings restored = checkpoint_run_settings(f.dir / "checkpoint", RunSettings{}).second;
  CHECK(restored.pretrain.to_json() == f.settings.pretrain.to_json());

  // A new process finds it in the cache: the same weights, not pretrained again.
  PreparedTask fresh = prepare_task("sst2", f.settings);
  const PretrainedEncoder& loaded = obtain_pretrained_encoder(fresh, f.settings);
  CHECK(loaded.sha256 == first.at("checkpoint_sha256"));
  CHECK(same_parameters(*loaded.encoder, *prepared.pretrained->encoder));
  CHECK_FALSE(loaded.pretrained_here);
  CHECK(prepared.pretrained->pretrained_here);
  CHECK(loaded.stats == prepared.pretrained->stats);

  // The encoder's starting weights come from the pretraining seed, not from
  // the generator's state after the first method: another fine-tuning seed
  // (the same training texts here) pretrains the same encoder.
  RunSettings other_seed = f.settings;
  other_seed.train.seed = 99;
  other_seed.cache_dir = f.dir / "cache-other-seed";
  PreparedTask other_seed_task = prepare_task("sst2", other_seed);
  torch::manual_seed(12345);  // as a method of another seed would leave it
  const PretrainedEncoder& retrained = obtain_pretrained_encoder(other_seed_task, other_seed);
  CHECK(retrained.sha256 == first.at("checkpoint_sha256"));

  RunSettings bad = f.settings;
  bad.pretrain.learning_rate = 0;
  CHECK_THROWS_WITH(prepare_task("sst2", bad), Contains("pretrain learning rate"));

  // Other pretraining settings, or another calibration carve-out (the same
  // files, other training texts), another encoder.
  RunSettings other = f.settings;
  other.pretrain.seed = 6;
  CHECK(pretrained_encoder_dir(fresh, other) != cache);
  RunSettings other_roles = f.settings;
  other_roles.roles.seed = 14;
  PreparedTask other_carve_out = prepare_task("sst2", other_roles);
  REQUIRE(other_carve_out.data.train.sha256 == prepared.data.train.sha256);
  CHECK(pretrained_encoder_dir(other_carve_out, other_roles) != cache);
  other.pretrain.epochs = 0;
  BertClassifier untouched(tiny_config(2, 64, 200, {1}));
  CHECK(initialize_from_pretrained(fresh, other, untouched->bert).is_null());
  CHECK(run_config_hash(fresh, "truncated", {}, other) != run_config_hash(fresh, "truncated", {}, f.settings));
}
