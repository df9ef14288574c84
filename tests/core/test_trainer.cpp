// train_classifier: it learns the synthetic task (held-out loss falls,
// accuracy well above chance), counts steps, examples and tokens, honours
// fractional epochs, is deterministic for a seed and depends on it; the fused
// optimizer, best-epoch selection and bf16 training.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <ATen/autocast_mode.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "core_fixtures.h"
#include "greenbench/bert/fused_adamw.h"
#include "greenbench/bert/precision.h"
#include "greenbench/bert/trainer.h"
#include "support/temp_dir.h"

using namespace greenbench;
using namespace greenbench::core_test;

namespace {

// Mean cross-entropy of the last exit and its accuracy over `set`.
std::pair<double, double> loss_and_accuracy(BertClassifier& model, const EncodedSet& set) {
  auto logits = exit_logits_all(model, set).back();
  auto labels = torch::tensor(set.labels, torch::kLong);
  const double loss = torch::nn::functional::cross_entropy(logits, labels).item<double>();
  const double accuracy = logits.argmax(1).eq(labels).to(torch::kDouble).mean().item<double>();
  return {loss, accuracy};
}

TrainOptions quick_options(uint64_t seed, double epochs) {
  TrainOptions o;
  o.epochs = epochs;
  o.batch_size = 32;
  o.learning_rate = 1e-3;
  o.seed = seed;
  o.progress_label = "core test train";
  return o;
}

}  // namespace

TEST_CASE("training lowers the held-out loss and beats chance clearly on a learnable task", "[trainer][precision]") {
  // bf16 runs emulated where the CPU lacks bf16 units: slower, same behaviour.
  const std::string precision = GENERATE(as<std::string>(), "fp32", "bf16");
  INFO("precision " << precision);
  single_thread();
  EncodedSet train = synthetic_set(1280, 41, 100, 5, 30);
  EncodedSet held_out = synthetic_set(400, 42, 100, 5, 30);
  torch::manual_seed(1);
  BertClassifier model(tiny_config(2, 32, 100, {0, 1}));
  auto [loss_before, accuracy_before] = loss_and_accuracy(model, held_out);
  TrainOptions options = quick_options(1, 5);  // 200 steps
  options.precision = precision;
  TrainStats stats = train_classifier(model, train, options);
  CHECK(stats.precision == precision);
  for (const auto& p : model->parameters()) CHECK(p.scalar_type() == torch::kFloat);  // master weights stay fp32
  CHECK_FALSE(at::autocast::is_cpu_enabled());  // switched off again
  auto [loss_after, accuracy_after] = loss_and_accuracy(model, held_out);
  INFO("held-out loss " << loss_before << " -> " << loss_after << ", accuracy " << accuracy_before << " -> "
                        << accuracy_after << ", final train loss " << stats.final_loss);
  CHECK(loss_after < loss_before * 0.7);
  CHECK(accuracy_after > 0.8);
  CHECK(stats.final_loss < 2 * std::log(2.0));  // summed over two exits, below chance's 2 ln 2
  CHECK(std::isfinite(stats.final_loss));
  CHECK(!model->is_training());  // left in eval mode
}

TEST_CASE("TrainStats counts steps, examples and tokens, fractional epochs included", "[trainer]") {
  single_thread();
  EncodedSet train = synthetic_set(100, 43, 100, 5, 20);  // 4 batches of 32 per epoch (32, 32, 32, 4)
  torch::manual_seed(2);
  BertClassifier model(tiny_config(1, 32, 100));
  TrainStats two = train_classifier(model, train, quick_options(3, 2));
  CHECK(two.steps == 8);
  CHECK(two.examples == 200);
  CHECK(two.tokens == 2 * train.total_tokens());
  TrainStats half = train_classifier(model, train, quick_options(3, 0.5));
  CHECK(half.steps == 2);  // round(0.5 * 4)
  CHECK(half.examples <= 64);
  auto j = two.to_json();
  CHECK(j.at("steps") == 8);
  CHECK(j.contains("final_loss"));
}

TEST_CASE("exit_loss_weights of the wrong length are rejected", "[trainer]") {
  single_thread();
  EncodedSet train = synthetic_set(40, 44, 100, 5, 10);
  BertClassifier model(tiny_config(2, 32, 100, {0, 1}));
  TrainOptions o = quick_options(1, 1);
  o.exit_loss_weights = {1.0, 1.0, 1.0};
  CHECK_THROWS_AS(train_classifier(model, train, o), std::invalid_argument);
}

TEST_CASE("TrainOptions reads the keys present in JSON and keeps the rest", "[trainer]") {
  TrainOptions o;
  o.update_from_json({{"epochs", 1.5}, {"learning_rate", 2e-4}, {"exit_loss_weights", {0.5, 1.0}}});
  CHECK(o.epochs == 1.5);
  CHECK(o.learning_rate == 2e-4);
  CHECK(o.exit_loss_weights == std::vector<double>{0.5, 1.0});
  CHECK(o.batch_size == TrainOptions().batch_size);
  TrainOptions back;
  back.update_from_json(o.to_json());
  CHECK(back.epochs == 1.5);
  CHECK(back.seed == o.seed);
}

TEST_CASE("the same seed trains identical parameters and predictions, another seed does not", "[trainer]") {
  single_thread();
  EncodedSet train = synthetic_set(320, 45, 100, 5, 25);
  EncodedSet held_out = synthetic_set(100, 46, 100, 5, 25);
  auto train_once = [&](uint64_t train_seed) {
    torch::manual_seed(9);  // the same initial weights every time
    BertClassifier model(tiny_config(2, 32, 100, {0, 1}));
    train_classifier(model, train, quick_options(train_seed, 2));  // 20 steps
    return model;
  };
  BertClassifier a = train_once(7), b = train_once(7), c = train_once(8);
  CHECK(same_parameters(*a, *b));
  CHECK_FALSE(same_parameters(*a, *c));
  auto la = exit_logits_all(a, held_out), lb = exit_logits_all(b, held_out);
  for (size_t e = 0; e < la.size(); ++e) {
    CHECK(torch::equal(la[e], lb[e]));
    CHECK(torch::equal(la[e].argmax(1), lb[e].argmax(1)));
  }
}

TEST_CASE("FusedAdamW takes the same steps as torch::optim::AdamW", "[trainer][optimizer]") {
  single_thread();
  torch::manual_seed(5);
  auto make = [] {
    return std::vector<torch::Tensor>{torch::randn({300, 7}), torch::randn({41})};
  };
  auto initial = make();
  std::vector<torch::Tensor> ours, theirs;
  for (const auto& t : initial) {
    ours.push_back(t.clone().requires_grad_(true));
    theirs.push_back(t.clone().requires_grad_(true));
  }
  FusedAdamW fused({{{ours[0]}, 0.01}, {{ours[1]}, 0.0}}, 0.9, 0.999, 1e-6);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<torch::Tensor>{theirs[0]},
                      std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(1e-2).eps(1e-6).weight_decay(0.01)));
  groups.emplace_back(std::vector<torch::Tensor>{theirs[1]},
                      std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(1e-2).eps(1e-6).weight_decay(0.0)));
  torch::optim::AdamW reference(std::move(groups));
  for (int step = 0; step < 6; ++step) {
    const double lr = 1e-2 * (step + 1) / 6.0;  // a changing rate, as under the schedule
    auto grads = make();
    for (size_t i = 0; i < ours.size(); ++i) {
      ours[i].mutable_grad() = grads[i].clone();
      theirs[i].mutable_grad() = grads[i].clone();
    }
    for (auto& group : reference.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    fused.step(lr);
    reference.step();
  }
  for (size_t i = 0; i < ours.size(); ++i) {
    INFO("parameter " << i << ", max difference " << (ours[i] - theirs[i]).abs().max().item<double>());
    CHECK(torch::allclose(ours[i], theirs[i], 1e-5, 1e-6));
    CHECK_FALSE(torch::allclose(ours[i], initial[i], 1e-3, 1e-3));  // it did move
  }
  fused.zero_grad();
  CHECK(ours[0].grad().abs().sum().item<double>() == 0);
  CHECK(fused.steps() == 6);
}

TEST_CASE("best-epoch selection keeps the weights of the epoch that scored best", "[trainer]") {
  single_thread();
  EncodedSet train = synthetic_set(320, 47, 100, 5, 25);
  EncodedSet selection = synthetic_set(120, 48, 100, 5, 25);
  torch::manual_seed(3);
  BertClassifier model(tiny_config(2, 32, 100, {0, 1}));
  TrainStats stats = train_classifier(model, train, quick_options(4, 3), &selection);
  REQUIRE(stats.selection_accuracy.size() == 3);
  REQUIRE(stats.selected_epoch >= 1);
  REQUIRE(stats.selected_epoch <= 3);
  const double best = *std::max_element(stats.selection_accuracy.begin(), stats.selection_accuracy.end());
  CHECK(stats.selection_accuracy[static_cast<size_t>(stats.selected_epoch - 1)] == best);
  CHECK(mean_exit_accuracy(model, selection) == Approx(best).margin(1e-12));
  CHECK(!model->is_training());

  TrainOptions no_selection = quick_options(4, 1);
  no_selection.select_best_epoch = false;
  TrainStats plain = train_classifier(model, train, no_selection, &selection);
  CHECK(plain.selection_accuracy.empty());
  CHECK(plain.selected_epoch == 0);
}

TEST_CASE("precision names resolve, and bf16 support is read from cpuinfo flags", "[trainer][precision]") {
  CHECK(resolve_precision("fp32") == Precision::fp32);
  CHECK(resolve_precision("bf16") == Precision::bf16);
  CHECK_THROWS_WITH(resolve_precision("fp16"), Catch::Contains("auto, fp32 or bf16"));
  greenbench::testing::TempDir dir("cpuinfo");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  };
  CHECK(cpu_has_fast_bf16(write("amx", "processor\t: 0\nflags\t\t: fpu sse avx512f amx_bf16 amx_tile\n")));
  CHECK(cpu_has_fast_bf16(write("avx512", "flags\t\t: fpu avx512_bf16\n")));
  CHECK_FALSE(cpu_has_fast_bf16(write("old", "processor\t: 0\nflags\t\t: fpu sse avx2 fma\n")));
  CHECK_FALSE(cpu_has_fast_bf16(dir / "missing"));
}
