// LayerDrop and pruning to evenly spaced layers: the spacing rule, the subset
// model against the original's layers, skipped layers in training, training
// with p = 0 exactly as standard, and the layerdrop baseline end to end
// (points, FLOPs of each depth, checkpoint round trip).
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include "checkpoint_round_trip.h"
#include "core_fixtures.h"
#include "data/batching.h"
#include "greenbench/bert/exit_classifier_method.h"
#include "greenbench/bert/layer_subset.h"
#include "greenbench/bert/trainer.h"
#include "greenbench/registry.h"
#include "measure/flops.h"
#include "run/runner.h"

using namespace greenbench;
using namespace greenbench::core_test;
using nlohmann::json;

TEST_CASE("evenly spaced layers: every other layer at half, the top layer always, even gaps", "[layerdrop]") {
  CHECK(evenly_spaced_layers(4, 2) == std::vector<int>{1, 3});
  CHECK(evenly_spaced_layers(4, 1) == std::vector<int>{3});
  CHECK(evenly_spaced_layers(4, 3) == std::vector<int>{1, 2, 3});
  CHECK(evenly_spaced_layers(4, 4) == std::vector<int>{0, 1, 2, 3});
  CHECK(evenly_spaced_layers(12, 6) == std::vector<int>{1, 3, 5, 7, 9, 11});
  CHECK(evenly_spaced_layers(6, 4) == std::vector<int>{1, 2, 4, 5});
  for (int total = 1; total <= 13; ++total) {
    for (int keep = 1; keep <= total; ++keep) {
      INFO(keep << " of " << total);
      const auto layers = evenly_spaced_layers(total, keep);
      REQUIRE(static_cast<int>(layers.size()) == keep);
      CHECK(layers.back() == total - 1);
      // Each kept layer stands for the floor or the ceiling of total/keep layers.
      int previous = -1;
      for (int layer : layers) {
        const int gap = layer - previous;
        CHECK(gap >= total / keep);
        CHECK(gap <= (total + keep - 1) / keep);
        previous = layer;
      }
    }
  }
  CHECK_THROWS_WITH(evenly_spaced_layers(4, 5), Catch::Contains("keep must be in [1, 4]"));
  CHECK_THROWS(evenly_spaced_layers(4, 0));
}

TEST_CASE("a layer subset computes what the chosen layers of the original compute", "[layerdrop]") {
  single_thread();
  const std::string exit_poolers = GENERATE(as<std::string>{}, "shared", "per_exit");
  INFO("exit poolers " << exit_poolers);
  torch::manual_seed(3);
  BertConfig source_config = tiny_config(4, 32, 100, {1, 3});
  source_config.exit_poolers = exit_poolers;
  BertClassifier source(source_config);
  source->eval();
  EncodedSet set = synthetic_set(6, 5, 100);
  Batch batch = collate(set, {0, 1, 2, 3, 4, 5});

  const std::vector<int> kept = {0, 2};
  BertClassifier subset = layer_subset(source, kept);
  CHECK(subset->config.num_hidden_layers == 2);
  CHECK(subset->config.exit_layers == std::vector<int>{1});
  CHECK(subset->parameter_count() < source->parameter_count());

  torch::NoGradGuard no_grad;
  auto hidden = source->bert->embed(batch.input.input_ids, batch.input.token_type_ids);
  auto bias = BertModelImpl::mask_bias(batch.input.attention_mask);
  for (int layer : kept) hidden = source->bert->run_layer(layer, hidden, bias);
  auto expected = source->exit_logits(source->num_exits() - 1, hidden, batch.input.attention_mask);
  auto got = subset->forward(batch.input).back();
  CHECK(torch::allclose(got, expected, 1e-6, 1e-6));

  // The subset owns its weights: changing it leaves the source alone.
  auto before = source->bert->layers[0]->attention->self->query->weight.clone();
  subset->bert->layers[0]->attention->self->query->weight.add_(1.0);
  CHECK(torch::equal(source->bert->layers[0]->attention->self->query->weight, before));

  CHECK_THROWS_WITH(layer_subset(source, {2, 1}), Catch::Contains("strictly increasing"));
  CHECK_THROWS(layer_subset(source, {4}));
  CHECK_THROWS(layer_subset(source, {}));
}

TEST_CASE("skipping layers in a forward pass equals the model without them", "[layerdrop]") {
  single_thread();
  torch::manual_seed(4);
  BertClassifier model(tiny_config(4, 32, 100, {3}));
  model->eval();
  EncodedSet set = synthetic_set(4, 6, 100);
  Batch batch = collate(set, {0, 1, 2, 3});
  torch::NoGradGuard no_grad;
  ForwardOptions options;
  options.skip_layers = {true, false, true, false};
  options.keep_hidden = true;
  ForwardResult skipped = model->forward_with(batch.input, options);
  auto pruned = layer_subset(model, {1, 3})->forward(batch.input).back();
  CHECK(torch::allclose(skipped.logits.back(), pruned, 1e-6, 1e-6));
  REQUIRE(skipped.hidden.size() == 4);
  CHECK(torch::equal(skipped.hidden[0], model->bert->embed(batch.input.input_ids, batch.input.token_type_ids)));
  CHECK(torch::equal(skipped.hidden[1], skipped.hidden[2]));  // layer 2 skipped: its input passes on
  options.skip_layers = {true};
  CHECK_THROWS_WITH(model->forward_with(batch.input, options), Catch::Contains("skip_layers has 1 entries for 4 layers"));
}

TEST_CASE("LayerDrop training: p = 0 is exactly standard, p > 0 differs, reproducibly, and still learns",
          "[layerdrop][runner]") {
  SmallRun f;
  PreparedTask prepared = prepare_task("sst2", f.settings);
  auto weights_of = [](TrainedMethod& t) -> BertClassifier& {
    return dynamic_cast<ExitClassifierMethod&>(*t.method).model();
  };
  TrainedMethod standard = train_method(prepared, "standard", json::object(), f.settings);
  TrainedMethod no_drop = train_method(prepared, "layerdrop", {{"p", 0.0}}, f.settings);
  CHECK(same_parameters(*weights_of(standard), *weights_of(no_drop)));

  TrainedMethod dropping = train_method(prepared, "layerdrop", {{"p", 0.5}}, f.settings);
  TrainedMethod again = train_method(prepared, "layerdrop", {{"p", 0.5}}, f.settings);
  CHECK_FALSE(same_parameters(*weights_of(standard), *weights_of(dropping)));
  CHECK(same_parameters(*weights_of(dropping), *weights_of(again)));
  CHECK(dropping.training["train_options"]["layerdrop"] == 0.5);

  // Half the layers missing each step slows learning: given 8 epochs it
  // still learns the fixture ("good"/"bad" decides each sentence; chance 0.5).
  TrainedMethod longer = train_method(prepared, "layerdrop", {{"p", 0.5}, {"train", {{"epochs", 8}}}}, f.settings);
  json record = evaluate_method(prepared, longer, f.settings);
  CHECK(record["operating_points"].back()["accuracy"].get<double>() >= 0.8);

  CHECK_THROWS_WITH(train_method(prepared, "layerdrop", {{"p", 1.0}}, f.settings), Catch::Contains("'p' must be in [0, 1)"));
}

TEST_CASE("the layerdrop baseline: one point per depth, each counted as that depth, checkpoint round trip",
          "[layerdrop][runner]") {
  SmallRun f;
  REQUIRE(method_registry().get("layerdrop").family == "baseline");
  PreparedTask prepared = prepare_task("sst2", f.settings);
  TrainedMethod trained = train_method(prepared, "layerdrop", json::object(), f.settings);
  json record = evaluate_method(prepared, trained, f.settings);
  const auto& points = record["operating_points"];
  REQUIRE(points.size() == 2);  // the fixture's model has 2 layers
  const BertConfig full = dynamic_cast<ExitClassifierMethod&>(*trained.method).model()->config;
  for (int depth = 1; depth <= 2; ++depth) {
    const auto& point = points[depth - 1];
    INFO(point["name"]);
    CHECK(point["name"] == "k=" + std::to_string(depth));
    BertConfig cut = full;
    cut.num_hidden_layers = depth;
    cut.exit_layers = {depth - 1};
    double flops = 0;
    for (const auto& ids : prepared.test.ids) flops += instance_flops(cut, static_cast<int>(ids.size()), depth, 1);
    CHECK(point["flops_per_instance"].get<double>() == Approx(flops / prepared.test.size()));
    CHECK(point["model"]["config"]["num_hidden_layers"] == depth);
  }
  CHECK(points[0]["flops_per_instance"].get<double>() < points[1]["flops_per_instance"].get<double>());
  CHECK(trained.training["calibration_per_depth"][0]["kept"] == json(std::vector<int>{1}));

  check_checkpoint_answers_alike(prepared, trained, f.settings, "layerdrop-ckpt");
}
