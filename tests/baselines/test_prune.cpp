// Pruning: the physically pruned model against the full model with the same
// units gated off, importance on a constructed case, the iterative schedule,
// magnitude pruning, FLOPs of a pruned model against the operator counter, and
// the prune baseline end to end through the runner with a checkpoint round trip.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <algorithm>

#include "baselines/prune/magnitude_prune.h"
#include "baselines/prune/structured_prune.h"
#include "baselines/prune/unit_importance.h"
#include "checkpoint_round_trip.h"
#include "core_fixtures.h"
#include "data/batching.h"
#include "greenbench/bert/exit_engine.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "measure/flops.h"
#include "run/runner.h"
#include "support/operator_flops.h"

using namespace greenbench;
using namespace greenbench::core_test;
using nlohmann::json;

namespace {
// 3 layers of 4 heads (head_dim 16), FFN width 128, exits at every layer, random weights.
BertClassifier random_model(const std::string& pooling = "mean") {
  torch::manual_seed(7);
  BertClassifier model(tiny_config(3, 64, 120, {}, pooling));
  model->eval();
  return model;
}
// A batch of different lengths, so padding is exercised.
Batch synthetic_batch(size_t n, uint64_t seed) {
  EncodedSet set = synthetic_set(n, seed, 120, 3, 30);
  std::vector<int64_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = static_cast<int64_t>(i);
  return collate(set, all);
}
UnitKeep uneven_keep() {
  UnitKeep keep;
  keep.heads = {{1, 3}, {2}, {0, 1, 2, 3}};
  std::vector<int> every(128), evens, few = {5, 77, 127};
  for (int i = 0; i < 128; ++i) every[static_cast<size_t>(i)] = i;
  for (int i = 0; i < 128; i += 2) evens.push_back(i);
  keep.neurons = {evens, every, few};
  return keep;
}
}  // namespace

TEST_CASE("a structurally pruned model computes what the full model computes with the pruned units gated off",
          "[prune]") {
  single_thread();
  BertClassifier full = random_model();
  const UnitKeep keep = uneven_keep();
  BertClassifier pruned = prune_structured(full, keep);
  CHECK(pruned->config.layer_heads == std::vector<int>{2, 1, 4});
  CHECK(pruned->config.layer_intermediate == std::vector<int>{64, 128, 3});
  CHECK(pruned->parameter_count() < full->parameter_count());
  CHECK(pruned->bert->layers[0]->attention->self->query->weight.size(0) == 2 * 16);
  CHECK(pruned->bert->layers[2]->output->dense->weight.size(1) == 3);

  torch::NoGradGuard no_grad;
  Batch batch = synthetic_batch(6, 3);
  auto plain = full->forward(batch.input);
  set_unit_gates(full, keep);
  auto gated = full->forward(batch.input);
  clear_unit_gates(full);
  auto small = pruned->forward(batch.input);
  REQUIRE(small.size() == gated.size());
  for (size_t e = 0; e < small.size(); ++e) {
    INFO("exit " << e);
    CHECK(torch::allclose(small[e], gated[e], 1e-4, 1e-5));
  }
  // The gates matter, so the agreement above is not vacuous; cleared, the forward is the plain one.
  CHECK_FALSE(torch::allclose(gated.back(), plain.back(), 1e-4, 1e-5));
  CHECK(torch::equal(full->forward(batch.input).back(), plain.back()));
}

TEST_CASE("structured pruning refuses a layer without heads or neurons and indices out of range", "[prune]") {
  BertClassifier full = random_model();
  UnitKeep keep = uneven_keep();
  keep.heads[1].clear();
  CHECK_THROWS_WITH(prune_structured(full, keep), Catch::Contains("layer 1 keeps no head"));
  keep = uneven_keep();
  keep.neurons[0].push_back(128);
  CHECK_THROWS_WITH(prune_structured(full, keep), Catch::Contains("out of range"));
  keep = uneven_keep();
  keep.heads[2].push_back(1);
  CHECK_THROWS_WITH(prune_structured(full, keep), Catch::Contains("twice"));
}

TEST_CASE("a pruned model's analytic FLOPs equal the matrix products LibTorch executed", "[prune][flops]") {
  single_thread();
  BertClassifier pruned = prune_structured(random_model("cls"), uneven_keep());
  EncodedSet set = synthetic_set(3, 11, 120, 9, 30);
  std::vector<double> temperatures(static_cast<size_t>(pruned->num_exits()), 1.0);
  for (int64_t i = 0; i < 3; ++i) {
    Batch one = collate(set, {i});
    LastExitRule last_exit;
    std::vector<Prediction> out;
    double counted = 0;
    {
      torch::NoGradGuard no_grad;
      OperatorFlopCounter counter;
      predict_with_exits(pruned, one, temperatures, last_exit, out);
      counted = counter.flops();
    }
    const double analytic = instance_flops(pruned->config, static_cast<int>(set.ids[static_cast<size_t>(i)].size()),
                                           out[0].layers_run, out[0].exits_evaluated);
    CHECK(counted > 0);
    CHECK(analytic == counted);
  }
}

TEST_CASE("importance: a head or neuron that contributes nothing scores 0, the others more", "[prune]") {
  single_thread();
  BertClassifier model = random_model();
  {
    torch::NoGradGuard no_grad;
    // Layer 1's head 2 reads zero values, so its context is 0 whatever the gate.
    model->bert->layers[1]->attention->self->value->weight.slice(0, 2 * 16, 3 * 16).zero_();
    model->bert->layers[1]->attention->self->value->bias.slice(0, 2 * 16, 3 * 16).zero_();
    // Layer 0's neuron 9 gets 0 in, so GELU gives 0 out.
    model->bert->layers[0]->intermediate->dense->weight[9].zero_();
    model->bert->layers[0]->intermediate->dense->bias[9].zero_();
  }
  EncodedSet set = synthetic_set(24, 5, 120, 3, 30);
  const UnitKeep all = UnitKeep::all(model->config);
  UnitImportance importance = unit_importance(model, set, all, 8);
  REQUIRE(importance.heads.size() == 3);
  CHECK(importance.heads[1][2].item<double>() == 0.0);
  CHECK(importance.neurons[0][9].item<double>() == 0.0);
  for (int h : {0, 1, 3}) CHECK(importance.heads[1][h].item<double>() > 0.0);
  CHECK(importance.heads[0].min().item<double>() > 0.0);
  // No gate is left behind, and no parameter got a gradient.
  CHECK_FALSE(model->bert->layers[1]->attention->self->head_gate.defined());
  for (const auto& p : model->parameters()) CHECK_FALSE(p.grad().defined());

  // Per instance |dL/dxi|, averaged: the batch size does not change it.
  UnitImportance one_by_one = unit_importance(model, set, all, 1);
  for (size_t l = 0; l < 3; ++l) {
    CHECK(torch::allclose(one_by_one.heads[l], importance.heads[l], 1e-4, 1e-9));
    CHECK(torch::allclose(one_by_one.neurons[l], importance.neurons[l], 1e-4, 1e-9));
  }

  // Per-layer L2 normalisation, then the useless head goes first.
  UnitImportance normalised = normalised_per_layer(importance);
  for (const auto& s : normalised.heads) CHECK(s.norm().item<double>() == Approx(1.0));
  UnitKeep dropped = drop_least_important(all, normalised, 1, 1);
  CHECK(dropped.heads[1] == std::vector<int>{0, 1, 3});
  CHECK(dropped.total_heads() == all.total_heads() - 1);
  CHECK(std::find(dropped.neurons[0].begin(), dropped.neurons[0].end(), 9) == dropped.neurons[0].end());
  // Dropping almost everything still leaves each layer one head.
  UnitKeep most = drop_least_important(all, normalised, 12, 0);
  for (const auto& h : most.heads) CHECK(h.size() == 1);
  // A gated-off unit scores 0: it is already gone.
  UnitImportance masked = unit_importance(model, set, dropped, 8);
  CHECK(masked.heads[1][2].item<double>() == 0.0);
}

TEST_CASE("the iterative schedule removes the asked share, each ratio continuing the one before", "[prune]") {
  single_thread();
  BertClassifier model = random_model();
  EncodedSet set = synthetic_set(16, 9, 120, 3, 30);
  PruneSchedule schedule = iterative_prune_schedule(model, set, {0.25, 0.5}, 0.1, 8);
  REQUIRE(schedule.keeps.size() == 2);
  CHECK(schedule.keeps[0].total_heads() == 12 - 3);
  CHECK(schedule.keeps[1].total_heads() == 12 - 6);
  CHECK(schedule.keeps[0].total_neurons() == 384 - 96);
  CHECK(schedule.keeps[1].total_neurons() == 384 - 192);
  CHECK(schedule.importance_passes == 6);  // 10% of 12 heads is 1 head a step
  for (size_t l = 0; l < 3; ++l) {
    for (int h : schedule.keeps[1].heads[l]) {
      const auto& earlier = schedule.keeps[0].heads[l];
      CHECK(std::find(earlier.begin(), earlier.end(), h) != earlier.end());
    }
  }
  CHECK_THROWS_WITH(iterative_prune_schedule(model, set, {0.5, 0.25}), Catch::Contains("ascending"));
}

TEST_CASE("magnitude pruning zeroes the smallest encoder weights and nothing else", "[prune]") {
  BertClassifier model = random_model();
  auto encoder_magnitudes = [&] {
    std::vector<torch::Tensor> flat;
    for (auto& l : model->bert->layers) {
      for (auto* w : {&l->attention->self->query->weight, &l->attention->self->key->weight,
                      &l->attention->self->value->weight, &l->attention->output->dense->weight,
                      &l->intermediate->dense->weight, &l->output->dense->weight}) {
        flat.push_back(w->detach().abs().flatten());
      }
    }
    return torch::cat(flat);
  };
  const int64_t before = nonzero_parameter_count(model);
  auto sorted_before = std::get<0>(encoder_magnitudes().sort());
  auto embeddings = model->bert->embeddings->word_embeddings->weight.clone();
  const int64_t zeroed = magnitude_prune_encoder(model, 0.5);
  CHECK(zeroed == std::llround(0.5 * 3 * (4 * 64 * 64 + 2 * 64 * 128)));
  CHECK(nonzero_parameter_count(model) == before - zeroed);
  CHECK(torch::equal(embeddings, model->bert->embeddings->word_embeddings->weight));
  // What survives is exactly the larger half: its smallest is the first weight not zeroed.
  auto after = encoder_magnitudes();
  CHECK(after.eq(0).sum().item<int64_t>() == zeroed);
  CHECK(after.masked_select(after.gt(0)).min().item<double>() == sorted_before[zeroed].item<double>());
  CHECK_THROWS_WITH(magnitude_prune_encoder(model, 1.0), Catch::Contains("sparsity must be in [0, 1)"));
}

TEST_CASE("the prune baseline: smaller structured models, sparse magnitude models, checkpoints that round-trip",
          "[prune][runner]") {
  SmallRun f;
  REQUIRE(method_registry().get("prune").family == "baseline");
  PreparedTask prepared = prepare_task("sst2", f.settings);
  // Fine-tuning is off by default; on here so its path runs too.
  TrainedMethod trained = train_method(prepared, "prune", {{"finetune_epochs", 1}}, f.settings);
  json record = evaluate_method(prepared, trained, f.settings);
  const auto& points = record["operating_points"];
  std::vector<std::string> names;
  for (const auto& p : points) names.push_back(p["name"]);
  REQUIRE(names == std::vector<std::string>{"unpruned", "structured 25%", "structured 75%", "magnitude 50%",
                                            "magnitude 90%", "structured 50%"});
  const auto& unpruned = points[0];
  const auto& s25 = points[1];
  const auto& s50 = points[5];
  const auto& s75 = points[2];
  auto flops = [](const json& p) { return p["flops_per_instance"].get<double>(); };
  auto params = [](const json& p) { return p["model"]["parameter_count"].get<int64_t>(); };
  CHECK(flops(s25) < flops(unpruned));
  CHECK(flops(s50) < flops(s25));
  CHECK(flops(s75) < flops(s50));
  CHECK(params(s25) < params(unpruned));
  CHECK(params(s50) < params(s25));
  CHECK(params(s75) < params(s50));
  CHECK(s50["model"]["config"]["layer_heads"].is_array());
  for (size_t i : {3u, 4u}) {
    INFO(names[i]);
    CHECK(flops(points[i]) == flops(unpruned));
    CHECK(params(points[i]) == params(unpruned));
    CHECK(points[i]["model"]["nonzero_parameter_count"].get<int64_t>() < params(unpruned));
    CHECK(points[i]["model"]["arithmetic"] == "dense fp32: zeros are still multiplied");
  }
  CHECK(points[4]["model"]["nonzero_parameter_count"].get<int64_t>() < points[3]["model"]["nonzero_parameter_count"].get<int64_t>());
  CHECK(trained.training["importance"]["passes"].get<int>() > 0);
  CHECK(trained.training["points"]["structured 50%"]["finetune_stats"]["steps"].get<int64_t>() > 0);

  // Every point's model is saved and loads to the same answers.
  check_checkpoint_answers_alike(prepared, trained, f.settings, "prune-ckpt");
}
