// The bag-of-n-grams baseline: n-gram hashing (counts, segments, positions
// do not matter), and the method end to end through the runner: it learns
// the fixture task, its FLOPs follow from the test lengths, and a checkpoint
// gives the same answers; the run's epochs and learning rate, which bow
// does not read, are named in its record.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

#include "baselines/bow/bag_of_ngrams.h"
#include "baselines/bow/lazy_adam.h"
#include "checkpoint_round_trip.h"
#include "core_fixtures.h"
#include "data/batching.h"
#include "greenbench/registry.h"
#include "measure/flops.h"
#include "run/runner.h"

using namespace greenbench;
using namespace greenbench::core_test;
using Catch::Detail::Approx;
using nlohmann::json;

namespace {
EncodedSet two_instances(std::vector<int32_t> a, std::vector<int32_t> b, std::vector<int32_t> types_b = {}) {
  EncodedSet set;
  set.ids = {a, b};
  set.type_ids = {std::vector<int32_t>(a.size(), 0), types_b.empty() ? std::vector<int32_t>(b.size(), 0) : types_b};
  set.labels = {0, 1};
  return set;
}
}  // namespace

TEST_CASE("lazy Adam equals dense Adam on rows touched every step and leaves untouched rows alone", "[bow]") {
  torch::manual_seed(3);
  const auto start = torch::randn({6, 4});
  torch::nn::EmbeddingBag sparse_bag(torch::nn::EmbeddingBagOptions(6, 4).mode(torch::kMean).sparse(true));
  torch::nn::EmbeddingBag dense_bag(torch::nn::EmbeddingBagOptions(6, 4).mode(torch::kMean));
  {
    torch::NoGradGuard no_grad;
    sparse_bag->weight.copy_(start);
    dense_bag->weight.copy_(start);
  }
  LazyAdam lazy(sparse_bag->weight, 0.05);
  torch::optim::Adam dense(dense_bag->parameters(), torch::optim::AdamOptions(0.05));
  // Rows 0, 2 and 3 in every batch (row 2 twice); rows 1, 4 and 5 never.
  const auto input = torch::tensor({0, 2, 2, 3, 3, 0}, torch::kLong);
  const auto offsets = torch::tensor({0, 3}, torch::kLong);
  for (int step = 0; step < 5; ++step) {
    const auto target = torch::randn({2, 4});
    sparse_bag->weight.mutable_grad() = torch::Tensor();
    (sparse_bag(input, offsets) - target).pow(2).sum().backward();
    REQUIRE(sparse_bag->weight.grad().is_sparse());
    lazy.step();
    dense.zero_grad();
    (dense_bag(input, offsets) - target).pow(2).sum().backward();
    dense.step();
  }
  const auto touched = torch::tensor({0, 2, 3}, torch::kLong), untouched = torch::tensor({1, 4, 5}, torch::kLong);
  CHECK(torch::allclose(sparse_bag->weight.index_select(0, touched), dense_bag->weight.index_select(0, touched), 1e-5, 1e-6));
  CHECK(torch::equal(sparse_bag->weight.index_select(0, untouched), start.index_select(0, untouched)));
  CHECK(!torch::equal(sparse_bag->weight.index_select(0, touched), start.index_select(0, touched)));

  torch::nn::EmbeddingBag dense_only(torch::nn::EmbeddingBagOptions(6, 4));
  LazyAdam refuses(dense_only->weight, 0.05);
  dense_only(input, offsets).sum().backward();
  CHECK_THROWS_WITH(refuses.step(), Catch::Matchers::Contains("sparse gradient"));
}

TEST_CASE("lazy Adam leaves a row's moments alone on steps that miss it and corrects bias by the global step",
          "[bow]") {
  // One row of one value, its gradient g on steps 1 and 3 only (of 0..3),
  // against the update computed by hand.
  torch::nn::EmbeddingBag bag(torch::nn::EmbeddingBagOptions(2, 1).mode(torch::kSum).sparse(true));
  {
    torch::NoGradGuard no_grad;
    bag->weight.fill_(0.0);
  }
  const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  LazyAdam lazy(bag->weight, lr, b1, b2, eps);
  const std::vector<double> g = {0.0, 2.0, 0.0, -1.0};
  double w = 0, m = 0, v = 0;
  for (int step = 0; step < 4; ++step) {
    bag->weight.mutable_grad() = torch::Tensor();
    const int64_t row = g[step] != 0 ? 1 : 0;  // steps that miss row 1 touch row 0 with a zero gradient
    (bag(torch::tensor({row}, torch::kLong), torch::tensor({0}, torch::kLong)).sum() * g[step]).backward();
    lazy.step();
    if (g[step] != 0) {
      m = b1 * m + (1 - b1) * g[step];
      v = b2 * v + (1 - b2) * g[step] * g[step];
      const double c1 = 1 - std::pow(b1, step + 1), c2 = 1 - std::pow(b2, step + 1);
      w -= lr / c1 * m / (std::sqrt(v) / std::sqrt(c2) + eps);
    }
    CHECK(bag->weight[1][0].item<double>() == Approx(w).epsilon(1e-5));
  }
  CHECK(w != 0);

}

TEST_CASE("every uni- and bigram of each instance is hashed once, the same n-gram hashes alike anywhere", "[bow]") {
  EncodedSet set = two_instances({5, 6, 7}, {9, 5, 6});
  NgramBatch batch = hash_ngrams(set, {0, 1}, 2, 1 << 20);
  REQUIRE(batch.offsets.size(0) == 2);
  CHECK(batch.offsets[1].item<int64_t>() == static_cast<int64_t>(ngram_count(3, 2)));
  CHECK(batch.buckets.size(0) == 2 * static_cast<int64_t>(ngram_count(3, 2)));
  auto first = batch.buckets.narrow(0, 0, 5), second = batch.buckets.narrow(0, 5, 5);
  std::set<int64_t> a, b;
  for (int i = 0; i < 5; ++i) {
    a.insert(first[i].item<int64_t>());
    b.insert(second[i].item<int64_t>());
  }
  // Shared: unigrams 5 and 6 and the bigram (5, 6).
  std::vector<int64_t> shared;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
  CHECK(shared.size() == 3);
  CHECK(batch.buckets.max().item<int64_t>() < (1 << 20));
  CHECK(batch.buckets.min().item<int64_t>() >= 0);
}

TEST_CASE("a padded batch hashes to the same n-grams as its instances, padding ignored", "[bow]") {
  EncodedSet set = two_instances({5, 6, 7, 8}, {9, 5}, {0, 1});
  Batch padded = collate(set, {0, 1});
  NgramBatch from_set = hash_ngrams(set, {0, 1}, 2, 1 << 20);
  NgramBatch from_batch = hash_ngrams(padded, 2, 1 << 20);
  CHECK(torch::equal(from_set.buckets, from_batch.buckets));
  CHECK(torch::equal(from_set.offsets, from_batch.offsets));
}

TEST_CASE("the segment is part of an n-gram: a premise word and a hypothesis word differ", "[bow]") {
  EncodedSet set = two_instances({5, 6}, {5, 6}, {1, 1});
  NgramBatch batch = hash_ngrams(set, {0, 1}, 2, 1 << 20);
  for (int i = 0; i < 3; ++i) CHECK(batch.buckets[i].item<int64_t>() != batch.buckets[3 + i].item<int64_t>());
}

TEST_CASE("the bow baseline learns the fixture task, its FLOPs follow the lengths, and a checkpoint answers the same",
          "[bow][runner]") {
  SmallRun f;
  REQUIRE(method_registry().get("bow").family == "baseline");
  PreparedTask prepared = prepare_task("sst2", f.settings);
  TrainedMethod trained = train_method(prepared, "bow", {{"buckets", 4096}, {"epochs", 8}}, f.settings);
  // The run's epochs and learning rate do not reach bow: its config's do, and its record says so.
  const json& options = trained.training["train_options"];
  CHECK(options["epochs"] == 8);
  CHECK(options["learning_rate"] == 1e-2);
  CHECK(trained.training["train_stats"]["epochs"] == 8);
  REQUIRE(f.settings.train.epochs != 8);
  CHECK(options["run_settings_not_used"]["epochs"] == f.settings.train.epochs);
  CHECK(options["run_settings_not_used"]["learning_rate"] == f.settings.train.learning_rate);
  json record = evaluate_method(prepared, trained, f.settings);
  const auto& point = record["operating_points"].back();
  CHECK(point["accuracy"].get<double>() >= 0.9);  // "good"/"bad" decides every fixture sentence
  CHECK(record["model"]["config"]["model_type"] == "bag_of_ngrams");
  BagOfNgramsShape shape;
  shape.embedding_dim = 16;
  shape.max_ngram = 2;
  shape.buckets = 4096;
  shape.num_labels = 2;
  double flops = 0;
  for (const auto& ids : prepared.test.ids) flops += bag_of_ngrams_flops(shape, static_cast<int>(ids.size()));
  CHECK(point["flops_per_instance"].get<double>() == Approx(flops / prepared.test.size()));
  CHECK(record["model"]["parameter_count"] == 4096 * 16 + 16 * 2 + 2);

  check_checkpoint_answers_alike(prepared, trained, f.settings, "bow-ckpt");
}
