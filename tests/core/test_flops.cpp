// Analytic FLOPs (measure/flops.h) against numbers worked out by hand:
// BERT-base at 128 tokens (the 24*h^2 + 4*s*h per token per layer of
// METHODS.md, about 22 GFLOPs for 12 layers) and a small odd-shaped config,
// with [CLS] and mean pooling; and against an independent count of the matrix
// products LibTorch executed (support/operator_flops.h) over several shapes.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "data/batching.h"
#include "greenbench/bert/exit_engine.h"
#include "greenbench/bert_config.h"
#include "measure/flops.h"
#include "methods/early_exit/exit_rules.h"
#include "support/operator_flops.h"

using namespace greenbench;

TEST_CASE("BERT-base at 128 tokens costs 24h^2 + 4sh FLOPs per token per layer, about 22 GFLOPs in all", "[flops]") {
  BertConfig base = BertConfig::preset("base");
  base.num_labels = 2;
  base.pooling = "cls";
  REQUIRE(base.hidden_size == 768);
  REQUIRE(base.intermediate_size == 3072);
  REQUIRE(base.num_hidden_layers == 12);
  // Per token per layer: 24 * 768^2 + 4 * 128 * 768 = 14,155,776 + 393,216 = 14,548,992.
  // Per layer (128 tokens): 1,862,270,976.
  CHECK(encoder_layer_flops(base, 128) == 1862270976.0);
  CHECK(encoder_layer_flops(base, 128) == 128.0 * (24.0 * 768 * 768 + 4.0 * 128 * 768));
  // Exit head, [CLS]: pooler 2 * 768^2 = 1,179,648, classifier 2 * 768 * 2 = 3,072.
  CHECK(exit_head_flops(base, 128) == 1182720.0);
  // 12 layers + one head: 22,347,251,712 + 1,182,720 = 22,348,434,432 (about 22.3 GFLOPs).
  CHECK(instance_flops(base, 128, 12, 1) == 22348434432.0);
  CHECK(instance_flops(base, 128, 12, 1) == Catch::Detail::Approx(22.35e9).epsilon(1e-3));

  // Mean pooling adds one add per hidden value of each token: 128 * 768 = 98,304.
  BertConfig mean = base;
  mean.pooling = "mean";
  CHECK(exit_head_flops(mean, 128) == 1182720.0 + 98304.0);
  CHECK(encoder_layer_flops(mean, 128) == encoder_layer_flops(base, 128));
  // Early exit after 3 layers with 3 heads evaluated.
  CHECK(instance_flops(mean, 128, 3, 3) == 3 * 1862270976.0 + 3 * (1182720.0 + 98304.0));
}

TEST_CASE("FLOPs of a small model with an odd sequence length and three labels", "[flops]") {
  BertConfig c = BertConfig::preset("tiny");  // h 128, I 512
  c.num_labels = 3;
  c.pooling = "cls";
  // s = 37: 8*37*128^2 = 4,849,664; 4*37^2*128 = 700,928; 4*37*128*512 = 9,699,328 -> 15,249,920.
  CHECK(encoder_layer_flops(c, 37) == 15249920.0);
  // Head: 2*128^2 = 32,768 + 2*128*3 = 768 -> 33,536 ([CLS]); mean adds 37*128 = 4,736 -> 38,272.
  CHECK(exit_head_flops(c, 37) == 33536.0);
  c.pooling = "mean";
  CHECK(exit_head_flops(c, 37) == 38272.0);
  // Two layers, two heads: 2 * 15,249,920 + 2 * 38,272 = 30,576,384.
  CHECK(instance_flops(c, 37, 2, 2) == 30576384.0);
  CHECK(instance_flops(c, 37, 0, 0) == 0.0);
  // The attention term is quadratic in length: doubling s more than doubles a layer.
  CHECK(encoder_layer_flops(c, 74) > 2 * encoder_layer_flops(c, 37));
}

TEST_CASE("a pruned layer costs what its kept heads and feed-forward neurons cost", "[flops]") {
  BertConfig c = BertConfig::preset("tiny");  // h 128, 2 heads of 64, I 512
  c.num_labels = 2;
  c.layer_heads = {1, 2};
  c.layer_intermediate = {100, 512};
  // Layer 0, s = 10, one head (a*d = 64): 8*10*128*64 = 655,360; 4*100*64 = 25,600; 4*10*128*100 = 512,000.
  CHECK(encoder_layer_flops(c, 10, 0) == 1192960.0);
  BertConfig full = BertConfig::preset("tiny");
  CHECK(encoder_layer_flops(c, 10, 1) == encoder_layer_flops(full, 10, 1));
  CHECK(instance_flops(c, 10, 2, 0) == 1192960.0 + encoder_layer_flops(full, 10));
  CHECK(instance_flops(c, 10, 1, 0) == 1192960.0);
  c.layer_heads = {1, 3};
  CHECK_THROWS_WITH(c.validate(), Catch::Contains("layer_heads entries must lie in [1, 2]"));
  c.layer_heads = {1};
  CHECK_THROWS_WITH(c.validate(), Catch::Contains("1 entries for 2 layers"));
}

TEST_CASE("a bag of n-grams costs one add per n-gram and dimension plus its linear layer", "[flops]") {
  BagOfNgramsShape bow;
  bow.embedding_dim = 10;
  bow.max_ngram = 2;
  bow.num_labels = 3;
  CHECK(ngram_count(5, 2) == 9.0);  // 5 unigrams + 4 bigrams
  CHECK(ngram_count(1, 2) == 1.0);
  CHECK(ngram_count(0, 2) == 0.0);
  // 9 n-grams * 10 + 2 * 10 * 3 = 150
  CHECK(bag_of_ngrams_flops(bow, 5) == 150.0);
  ModelShape shape = ModelShape::of_bag_of_ngrams(bow, 1000);
  CHECK(instance_flops(shape, 5, 0, 0) == 150.0);
  CHECK(shape.to_json()["config"]["model_type"] == "bag_of_ngrams");
}

namespace {
// Runs `ids` (one instance, batch size 1) through batched early exit and
// returns what the operator counter saw and the path the instance took.
struct CountedRun {
  double counted = 0;
  Prediction prediction;
};
CountedRun count_instance(BertClassifier& model, const std::vector<int32_t>& ids, double threshold) {
  EncodedSet set;
  set.ids = {ids};
  set.type_ids = {std::vector<int32_t>(ids.size(), 0)};
  set.labels = {0};
  Batch batch = collate(set, {0});
  std::vector<double> temperatures(static_cast<size_t>(model->num_exits()), 1.0);
  ConfidenceRule rule(threshold);
  std::vector<Prediction> out;
  CountedRun run;
  torch::NoGradGuard no_grad;
  {
    OperatorFlopCounter counter;
    predict_with_exits(model, batch, temperatures, rule, out);
    run.counted = counter.flops();
  }
  run.prediction = out.at(0);
  return run;
}
}  // namespace

TEST_CASE("the analytic count agrees within 1% with the matrix products LibTorch executed", "[flops]") {
  torch::set_num_threads(1);
  struct Shape {
    int layers, hidden, heads, labels;
    std::vector<int> exits;
    std::string pooling;
    std::vector<int> layer_heads = {}, layer_intermediate = {};  // structurally pruned widths
  };
  const std::vector<Shape> shapes = {
      {2, 64, 4, 2, {0, 1}, "cls"},      {4, 64, 2, 3, {0, 1, 2, 3}, "mean"}, {3, 96, 6, 5, {1, 2}, "cls"},
      {4, 128, 8, 2, {3}, "mean"},       {1, 32, 1, 4, {0}, "cls"},
      {3, 96, 6, 2, {0, 2}, "cls", {1, 6, 3}, {17, 384, 200}},
      {2, 64, 4, 3, {1}, "mean", {2, 1}, {256, 1}},
  };
  std::mt19937 rng(5);
  for (const auto& shape : shapes) {
    BertConfig c;
    c.vocab_size = 100;
    c.hidden_size = shape.hidden;
    c.num_attention_heads = shape.heads;
    c.intermediate_size = 4 * shape.hidden;
    c.num_hidden_layers = shape.layers;
    c.max_position_embeddings = 160;
    c.num_labels = shape.labels;
    c.exit_layers = shape.exits;
    c.pooling = shape.pooling;
    c.layer_heads = shape.layer_heads;
    c.layer_intermediate = shape.layer_intermediate;
    torch::manual_seed(3);
    BertClassifier model(c);
    model->eval();
    for (int length : {1, 2, 17, 64, 150}) {
      std::vector<int32_t> ids(static_cast<size_t>(length));
      for (auto& id : ids) id = static_cast<int32_t>(rng() % 90 + 5);
      // Threshold 0 stops at the first exit; 1 runs every layer and head.
      for (double threshold : {0.0, 1.0}) {
        CountedRun run = count_instance(model, ids, threshold);
        const double analytic =
            instance_flops(c, length, run.prediction.layers_run, run.prediction.exits_evaluated);
        INFO("layers " << shape.layers << ", hidden " << shape.hidden << ", heads " << shape.heads
                       << (shape.layer_heads.empty() ? "" : " (pruned)") << ", exits "
                       << shape.exits.size() << ", " << shape.pooling << ", length " << length << ", threshold "
                       << threshold << ": analytic " << analytic << ", counted " << run.counted);
        REQUIRE(run.counted > 0);
        CHECK(std::abs(analytic - run.counted) <= 0.01 * run.counted);
        if (shape.pooling == "cls") CHECK(analytic == run.counted);  // mean pooling's adds are not products
        if (threshold == 1.0) CHECK(run.prediction.layers_run == shape.layers);
        if (threshold == 0.0) CHECK(run.prediction.layers_run == shape.exits.front() + 1);
      }
    }
  }
}

TEST_CASE("the operator counter reads mm, addmm and bmm shapes and nothing else", "[flops]") {
  OperatorFlopCounter counter;
  auto a = torch::randn({3, 5}), b = torch::randn({5, 7});
  torch::mm(a, b);                                    // 2*3*5*7 = 210
  torch::addmm(torch::zeros({3, 7}), a, b);           // 210
  torch::bmm(torch::randn({2, 3, 4}), torch::randn({2, 4, 6}));  // 2*2*3*4*6 = 288
  torch::relu(a);                                     // not a product
  CHECK(counter.flops() == 708);
  CHECK(counter.calls().at("aten::mm") == 1);
  CHECK(counter.calls().at("aten::bmm") == 1);
  counter.reset();
  CHECK(counter.flops() == 0);
}
