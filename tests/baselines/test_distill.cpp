// Distillation: the KD loss against a hand computation (T^2 scaling, alpha
// mixing, gradient direction), the cosine loss, the trainer's loss hook, and
// the distill baseline end to end (students per depth, their FLOPs, accuracy,
// checkpoint round trip).
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <cmath>

#include "baselines/distill/distillation.h"
#include "checkpoint_round_trip.h"
#include "core_fixtures.h"
#include "greenbench/bert/trainer.h"
#include "greenbench/registry.h"
#include "measure/flops.h"
#include "run/runner.h"

using namespace greenbench;
using namespace greenbench::core_test;
using nlohmann::json;

namespace {
std::vector<double> softmax(const std::vector<double>& z, double t) {
  double sum = 0;
  std::vector<double> p;
  for (double v : z) sum += std::exp(v / t);
  for (double v : z) p.push_back(std::exp(v / t) / sum);
  return p;
}
}  // namespace

TEST_CASE("the distillation loss is alpha T^2 KL(teacher || student) + (1 - alpha) CE, by hand", "[distill]") {
  const std::vector<std::vector<double>> student = {{1.0, 2.0, 0.0}, {-0.5, 0.3, 1.2}};
  const std::vector<std::vector<double>> teacher = {{0.5, -1.0, 2.0}, {2.0, 0.0, -1.0}};
  const std::vector<int64_t> labels = {2, 0};
  const double T = 2.0, alpha = 0.3;
  double kl = 0, ce = 0;
  for (size_t b = 0; b < 2; ++b) {
    const auto pt = softmax(teacher[b], T), ps = softmax(student[b], T), p1 = softmax(student[b], 1);
    for (size_t c = 0; c < 3; ++c) kl += pt[c] * std::log(pt[c] / ps[c]) / 2;
    ce += -std::log(p1[static_cast<size_t>(labels[b])]) / 2;
  }
  auto s = torch::tensor({1.0, 2.0, 0.0, -0.5, 0.3, 1.2}, torch::kFloat).view({2, 3}).requires_grad_(true);
  auto t = torch::tensor({0.5, -1.0, 2.0, 2.0, 0.0, -1.0}, torch::kFloat).view({2, 3});
  auto y = torch::tensor(labels, torch::kLong);
  CHECK(distillation_loss(s, t, y, T, alpha).item<double>() == Approx(alpha * T * T * kl + (1 - alpha) * ce).epsilon(1e-5));
  CHECK(distillation_loss(s, t, y, T, 0.0).item<double>() == Approx(ce).epsilon(1e-5));
  CHECK(distillation_loss(s, t, y, T, 1.0).item<double>() == Approx(T * T * kl).epsilon(1e-5));
  CHECK(distillation_loss(t, t, y, 5.0, 1.0).item<double>() == Approx(0.0).margin(1e-6));  // a perfect student

  // Soft term alone: d/dz_s = T^2 * (p_s - p_t) / T / batch, so descent moves
  // the student towards the teacher, at a size that does not shrink with T.
  auto loss = distillation_loss(s, t, y, T, 1.0);
  loss.backward();
  for (size_t b = 0; b < 2; ++b) {
    const auto pt = softmax(teacher[b], T), ps = softmax(student[b], T);
    for (size_t c = 0; c < 3; ++c) {
      const double g = s.grad()[static_cast<int64_t>(b)][static_cast<int64_t>(c)].item<double>();
      CHECK(g == Approx(T * (ps[c] - pt[c]) / 2).margin(1e-6));
      CHECK((g > 0) == (ps[c] > pt[c]));
    }
  }
  CHECK_THROWS_WITH(distillation_loss(s, t, y, 0.0, 0.5), Catch::Contains("temperature must be > 0"));
  CHECK_THROWS_WITH(distillation_loss(s, t, y, 2.0, 1.5), Catch::Contains("alpha must be in [0, 1]"));
}

TEST_CASE("the hidden-state cosine loss: 0 when aligned, 2 when opposed, padding ignored", "[distill]") {
  torch::manual_seed(2);
  auto a = torch::randn({2, 3, 8});
  auto mask = torch::tensor({1, 1, 0, 1, 0, 0}, torch::kLong).view({2, 3});
  CHECK(hidden_cosine_loss({a}, {a * 3}, mask).item<double>() == Approx(0.0).margin(1e-6));
  CHECK(hidden_cosine_loss({a}, {-a}, mask).item<double>() == Approx(2.0).epsilon(1e-6));
  auto b = a.clone();
  b.index_put_({1, 2}, -a.index({1, 2}));  // a padding token: no effect
  CHECK(hidden_cosine_loss({a}, {b}, mask).item<double>() == Approx(0.0).margin(1e-6));
  CHECK_THROWS(hidden_cosine_loss({a, a}, {a}, mask));
}

TEST_CASE("a loss hook replaces the trainer's loss: the plain cross-entropy as a hook trains identically",
          "[distill][trainer]") {
  single_thread();
  EncodedSet train = synthetic_set(96, 11, 100, 5, 20);
  TrainOptions options;
  options.epochs = 1;
  options.batch_size = 16;
  options.seed = 5;
  options.precision = "fp32";
  torch::manual_seed(1);
  BertClassifier plain(tiny_config(2, 32, 100, {1}));
  BertClassifier hooked = clone_classifier(plain);
  train_classifier(plain, train, options);
  LossHook hook;
  hook.loss = [](const Batch& batch, const ForwardResult& result) {
    return torch::nn::functional::cross_entropy(result.logits.back().to(torch::kFloat), batch.labels);
  };
  train_classifier(hooked, train, options, nullptr, hook);
  CHECK(same_parameters(*plain, *hooked));
  // A different loss really changes the training.
  BertClassifier other = clone_classifier(plain);
  hook.loss = [](const Batch& batch, const ForwardResult& result) {
    return 0.1 * torch::nn::functional::cross_entropy(result.logits.back().to(torch::kFloat), batch.labels);
  };
  train_classifier(other, train, options, nullptr, hook);
  CHECK_FALSE(same_parameters(*plain, *other));
}

TEST_CASE("the distill baseline: a student per depth from the standard teacher, counted at its depth, round trip",
          "[distill][runner]") {
  SmallRun f;
  REQUIRE(method_registry().get("distill").family == "baseline");
  PreparedTask prepared = prepare_task("sst2", f.settings);
  TrainedMethod trained = train_method(prepared, "distill", {{"depths", {1, 2}}, {"cosine_weight", 0.5}}, f.settings);
  CHECK(trained.training["teacher"]["method"] == "standard");
  CHECK(trained.training["students"][0]["initialised_from_teacher_layers"] == json(std::vector<int>{1}));
  CHECK(trained.training["students"][1]["initialised_from_teacher_layers"] == json(std::vector<int>{0, 1}));
  json record = evaluate_method(prepared, trained, f.settings);
  const auto& points = record["operating_points"];
  REQUIRE(points.size() == 2);
  BertConfig full = BertConfig::from_json(points[1]["model"]["config"]);
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
    CHECK(point["accuracy"].get<double>() >= 0.8);  // "good"/"bad" decides each sentence; chance is 0.5
  }

  check_checkpoint_answers_alike(prepared, trained, f.settings, "distill-ckpt");
  CHECK_THROWS_WITH(train_method(prepared, "distill", {{"depths", {3}}}, f.settings), Catch::Contains("student depth 3 is not in [1, 2]"));
}
