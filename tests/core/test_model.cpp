// BertClassifier: Hugging Face parameter names, one set of logits per exit,
// and padding invariance (an instance's logits do not depend on the padding
// its batch needs for longer instances) in both pooling modes.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core_fixtures.h"
#include "data/batching.h"
#include "greenbench/bert/bert.h"

using namespace greenbench;
using namespace greenbench::core_test;

TEST_CASE("parameter names match Hugging Face's BertForSequenceClassification", "[model]") {
  single_thread();
  BertClassifier model(tiny_config(3, 32, 100, {0, 2}));
  std::set<std::string> names;
  for (const auto& item : model->named_parameters()) names.insert(item.key());
  for (const char* expected :
       {"bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
        "bert.embeddings.token_type_embeddings.weight", "bert.embeddings.LayerNorm.weight",
        "bert.embeddings.LayerNorm.bias", "bert.encoder.layer.0.attention.self.query.weight",
        "bert.encoder.layer.0.attention.self.key.bias", "bert.encoder.layer.0.attention.self.value.weight",
        "bert.encoder.layer.0.attention.output.dense.weight", "bert.encoder.layer.0.attention.output.LayerNorm.bias",
        "bert.encoder.layer.2.intermediate.dense.weight", "bert.encoder.layer.2.output.dense.bias",
        "bert.encoder.layer.2.output.LayerNorm.weight", "bert.pooler.dense.weight", "bert.pooler.dense.bias",
        "exits.0.weight", "exits.0.bias", "exits.1.weight", "exits.1.bias"}) {
    INFO(expected);
    CHECK(names.count(expected) == 1);
  }
  CHECK(names.count("exits.2.weight") == 0);
  CHECK(names.count("bert.encoder.layer.3.output.dense.weight") == 0);

  // Shapes as in HF: Linear weights are [out, in].
  auto params = model->named_parameters();
  CHECK(params["bert.encoder.layer.1.intermediate.dense.weight"].sizes() == torch::IntArrayRef({64, 32}));
  CHECK(params["exits.1.weight"].sizes() == torch::IntArrayRef({2, 32}));
  int64_t total = 0;
  for (const auto& p : model->parameters()) total += p.numel();
  CHECK(model->parameter_count() == total);
}

TEST_CASE("forward returns one [B, num_labels] logits tensor per exit", "[model]") {
  single_thread();
  torch::manual_seed(1);
  BertClassifier model(tiny_config(4, 32, 100, {1, 3}, "cls", 3));
  model->eval();
  EncodedSet set = synthetic_set(5, 3, 100, 5, 12);
  Batch batch = collate(set, {0, 1, 2, 3, 4});
  torch::NoGradGuard no_grad;
  auto logits = model->forward(batch.input);
  REQUIRE(logits.size() == 2);
  for (const auto& l : logits) CHECK(l.sizes() == torch::IntArrayRef({5, 3}));

  // exit_logits over run_layer reproduces forward's exit 1 (layer 3).
  auto hidden = model->bert->embed(batch.input.input_ids, batch.input.token_type_ids);
  auto bias = BertModelImpl::mask_bias(batch.input.attention_mask);
  for (int layer = 0; layer < 4; ++layer) hidden = model->bert->run_layer(layer, hidden, bias);
  CHECK(torch::allclose(model->exit_logits(1, hidden, batch.input.attention_mask), logits[1], 1e-5, 1e-6));
}

TEST_CASE("per-exit poolers: each exit reads its own pooler and the shared one is gone", "[model]") {
  single_thread();
  torch::manual_seed(5);
  BertConfig config = tiny_config(3, 32, 100, {0, 2});
  config.exit_poolers = "per_exit";
  BertClassifier model(config);
  model->eval();
  std::set<std::string> names;
  for (const auto& item : model->named_parameters()) names.insert(item.key());
  for (const char* expected : {"exit_poolers.0.dense.weight", "exit_poolers.0.dense.bias", "exit_poolers.1.dense.weight"}) {
    INFO(expected);
    CHECK(names.count(expected) == 1);
  }
  CHECK(names.count("bert.pooler.dense.weight") == 0);
  CHECK(names.count("exit_poolers.2.dense.weight") == 0);
  // Two exits: one pooler (32 x 32 + 32) more than the shared model.
  BertConfig shared_config = config;
  shared_config.exit_poolers = "shared";
  CHECK(model->parameter_count() == BertClassifier(shared_config)->parameter_count() + 32 * 32 + 32);

  EncodedSet set = synthetic_set(4, 9, 100, 5, 12);
  Batch batch = collate(set, {0, 1, 2, 3});
  torch::NoGradGuard no_grad;
  auto before = model->forward(batch.input);
  auto hidden = model->bert->embed(batch.input.input_ids, batch.input.token_type_ids);
  hidden = model->bert->run_layer(0, hidden, BertModelImpl::mask_bias(batch.input.attention_mask));
  auto summary = model->bert->summarize(hidden, batch.input.attention_mask);
  auto first_pooler = model->exit_poolers[0]->as<BertPoolerImpl>();
  auto expected = torch::nn::functional::linear(torch::tanh(first_pooler->dense(summary)), model->exits[0]->as<torch::nn::Linear>()->weight,
                                                model->exits[0]->as<torch::nn::Linear>()->bias);
  CHECK(torch::allclose(before[0], expected, 1e-5, 1e-6));
  // Changing exit 0's pooler moves exit 0 only.
  first_pooler->dense->weight.mul_(-1.0);
  auto after = model->forward(batch.input);
  CHECK_FALSE(torch::allclose(after[0], before[0]));
  CHECK(torch::equal(after[1], before[1]));
  CHECK_THROWS_WITH(model->bert->pool(hidden, batch.input.attention_mask), Catch::Contains("per-exit poolers"));

  // The config says so, and a config that does not keeps its old JSON.
  CHECK(config.to_json().at("exit_poolers") == "per_exit");
  CHECK(BertConfig::from_json(config.to_json()).exit_poolers == "per_exit");
  CHECK_FALSE(shared_config.to_json().contains("exit_poolers"));
  CHECK(BertConfig::from_json(shared_config.to_json()).exit_poolers == "shared");
  config.exit_poolers = "each";
  CHECK_THROWS_WITH(config.validate(), Catch::Contains("exit_poolers must be 'shared' or 'per_exit', not 'each'"));
}

TEST_CASE("an instance's exit logits do not depend on the padding of its batch", "[model]") {
  single_thread();
  const std::string pooling = GENERATE(as<std::string>{}, "cls", "mean");
  INFO("pooling " << pooling);
  torch::manual_seed(7);
  BertClassifier model(tiny_config(3, 32, 100, {0, 1, 2}, pooling));
  model->eval();
  // Lengths 6..30: instance 0 is the shortest, the batch pads it to 30.
  EncodedSet set = synthetic_set(6, 11, 100, 6, 30);
  set.ids[0].resize(6);
  set.ids[0].back() = kSep;
  set.type_ids[0].resize(6);
  set.ids[5].resize(30, 9);
  set.type_ids[5].resize(30, 0);
  std::vector<int64_t> all = {0, 1, 2, 3, 4, 5};
  torch::NoGradGuard no_grad;
  auto batched = model->forward(collate(set, all).input);
  for (int64_t i : all) {
    auto alone = model->forward(collate(set, {i}).input);
    for (size_t e = 0; e < alone.size(); ++e) {
      INFO("instance " << i << ", exit " << e);
      CHECK(torch::allclose(alone[e][0], batched[e][i], 1e-5, 1e-5));
    }
  }
}

TEST_CASE("mean pooling ignores padded positions whatever their hidden state", "[model]") {
  single_thread();
  torch::manual_seed(3);
  BertClassifier model(tiny_config(2, 32, 100, {1}, "mean"));
  model->eval();
  torch::NoGradGuard no_grad;
  auto hidden = torch::randn({2, 5, 32});
  auto mask = torch::tensor({1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, torch::kLong).view({2, 5});
  auto pooled = model->bert->pool(hidden, mask);
  auto garbage = hidden.clone();
  garbage.index_put_({0, torch::indexing::Slice(3, 5)}, 1000.0);
  CHECK(torch::allclose(model->bert->pool(garbage, mask), pooled));
  auto expected = torch::tanh(model->bert->pooler->dense(hidden[0].narrow(0, 0, 3).mean(0)));
  CHECK(torch::allclose(pooled[0], expected, 1e-5, 1e-6));
}

TEST_CASE("hashed dropout drops at rate p, rescales the rest, and follows the seed, not the threads", "[model][dropout]") {
  single_thread();
  auto x = torch::full({1000, 1000}, 2.0f);
  CHECK(torch::equal(hashed_dropout(x, 0.1, false), x));  // eval: identity
  CHECK(torch::equal(hashed_dropout(x, 0.0, true), x));
  torch::manual_seed(11);
  auto y = hashed_dropout(x, 0.1, true);
  const double dropped = y.eq(0).to(torch::kDouble).mean().item<double>();
  CHECK(dropped == Approx(0.1).margin(0.002));  // 1e6 draws: sd 0.0003
  auto kept = y.masked_select(y.ne(0));
  CHECK(kept.min().item<float>() == Approx(2.0 / 0.9));
  CHECK(kept.max().item<float>() == Approx(2.0 / 0.9));
  CHECK(y.mean().item<double>() == Approx(2.0).epsilon(0.01));  // unbiased in expectation

  torch::manual_seed(11);
  torch::set_num_threads(2);
  auto again = hashed_dropout(x, 0.1, true);
  torch::set_num_threads(1);
  CHECK(torch::equal(again, y));
  auto next = hashed_dropout(x, 0.1, true);  // the generator moved on
  CHECK_FALSE(torch::equal(next, y));

  auto rows = hashed_dropout(torch::ones({200, 50}), 0.5, true);  // no row or column pattern
  auto row_means = rows.mean(1), col_means = rows.mean(0);
  CHECK(row_means.std().item<double>() < 0.35);  // binomial sd of a 50-draw mean x 2: 0.14
  CHECK(col_means.std().item<double>() < 0.2);   // of a 200-draw mean x 2: 0.07
  auto grad_input = torch::ones({10, 10}, torch::requires_grad());
  hashed_dropout(grad_input, 0.5, true).sum().backward();
  auto g = grad_input.grad();
  CHECK(g.eq(0).logical_or(g.eq(2)).all().item<bool>());  // gradient flows through the kept ones only
}
