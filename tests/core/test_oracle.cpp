// exit_analysis: per-exit accuracy and the oracle (each instance leaves at
// the cheapest exit that is right, the last one when none is), on a model
// whose exits answer fixed classes (checkable by hand) and on a trained model
// against an independent computation from exit_logits_all.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include "core_fixtures.h"
#include "greenbench/bert/exit_classifier_method.h"
#include "greenbench/bert/trainer.h"
#include "measure/flops.h"
#include "trained_model.h"

using namespace greenbench;
using namespace greenbench::core_test;
using Catch::Detail::Approx;

TEST_CASE("the oracle picks the cheapest correct exit on a model with fixed answers", "[oracle]") {
  single_thread();
  torch::manual_seed(4);
  // 4 labels, exits at layers 0, 1, 2 that always answer 0, 1 and 2: label 3 is never right.
  BertClassifier model(tiny_config(3, 32, 100, {0, 1, 2}, "cls", 4));
  {
    torch::NoGradGuard no_grad;
    for (int e = 0; e < 3; ++e) {
      auto& head = *model->exits[static_cast<size_t>(e)]->as<torch::nn::Linear>();
      head.weight.zero_();
      head.bias.fill_(0.0);
      head.bias[e].fill_(5.0);
    }
  }
  EncodedSet set = synthetic_set(10, 8, 100, 5, 20);
  set.labels = {0, 0, 0, 1, 1, 2, 3, 3, 3, 0};  // 4 zeros, 2 ones, 1 two, 3 threes
  auto analysis = exit_analysis(model, set);

  // Per exit: the share of labels equal to that exit's fixed answer.
  const auto& per_exit = analysis.at("per_exit");
  REQUIRE(per_exit.size() == 3);
  CHECK(per_exit[0].at("layer") == 0);
  CHECK(per_exit[2].at("layer") == 2);
  CHECK(per_exit[0].at("accuracy").get<double>() == Approx(0.4));
  CHECK(per_exit[1].at("accuracy").get<double>() == Approx(0.2));
  CHECK(per_exit[2].at("accuracy").get<double>() == Approx(0.1));

  // Oracle: labels 0, 1, 2 are answered right at exits 0, 1, 2 (7 of 10);
  // the three 3s are wrong everywhere and fall through to the last exit.
  const auto& oracle = analysis.at("oracle");
  CHECK(oracle.at("accuracy").get<double>() == Approx(0.7));
  CHECK(oracle.at("exit_histogram").get<std::vector<int64_t>>() == std::vector<int64_t>{4, 2, 4});
  const BertConfig& c = model->config;
  const int chosen_exit[10] = {0, 0, 0, 1, 1, 2, 2, 2, 2, 0};
  double flops = 0;
  for (size_t i = 0; i < set.size(); ++i)
    flops += instance_flops(c, static_cast<int>(set.ids[i].size()), chosen_exit[i] + 1, chosen_exit[i] + 1);
  CHECK(oracle.at("flops_per_instance").get<double>() == Approx(flops / 10).epsilon(1e-12));
}

TEST_CASE("the oracle of a trained model matches a computation from exit_logits_all", "[oracle]") {
  auto& m = trained_exit_model();
  auto analysis = exit_analysis(m.model, m.test);
  auto logits = exit_logits_all(m.model, m.test);
  const int64_t n = static_cast<int64_t>(m.test.size());
  const int exits = m.model->num_exits();
  std::vector<int64_t> histogram(static_cast<size_t>(exits), 0);
  int64_t correct = 0;
  double flops = 0;
  std::vector<int64_t> right_at(static_cast<size_t>(exits), 0);
  for (int64_t i = 0; i < n; ++i) {
    int chosen = -1;
    for (int e = 0; e < exits; ++e) {
      const bool right = logits[e][i].argmax().item<int64_t>() == m.test.labels[static_cast<size_t>(i)];
      right_at[static_cast<size_t>(e)] += right;
      if (right && chosen < 0) chosen = e;
    }
    if (chosen >= 0) ++correct;
    else chosen = exits - 1;
    histogram[static_cast<size_t>(chosen)] += 1;
    const int layer = m.model->config.exit_layers[static_cast<size_t>(chosen)];
    flops += instance_flops(m.model->config, static_cast<int>(m.test.ids[static_cast<size_t>(i)].size()), layer + 1, chosen + 1);
  }
  for (int e = 0; e < exits; ++e)
    CHECK(analysis["per_exit"][e]["accuracy"].get<double>() == Approx(static_cast<double>(right_at[e]) / n));
  CHECK(analysis["oracle"]["accuracy"].get<double>() == Approx(static_cast<double>(correct) / n));
  CHECK(analysis["oracle"]["exit_histogram"].get<std::vector<int64_t>>() == histogram);
  CHECK(analysis["oracle"]["flops_per_instance"].get<double>() == Approx(flops / n));
  // The oracle is at least as accurate as any single exit.
  for (int e = 0; e < exits; ++e) CHECK(correct >= right_at[static_cast<size_t>(e)]);
}
