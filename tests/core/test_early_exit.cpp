// Batched early exit (predict_with_exits): dropping finished instances and
// trimming padding must not change any instance's answer. Batched runs (sorted
// by length, and shuffled with mixed lengths) must give the same label, layers
// run and exits evaluated as batch size 1, for thresholds that spread the
// instances over several exits; thresholds above 1 run everyone to the end;
// the last exit always answers; and each instance leaves at the first exit
// whose calibrated confidence reaches the threshold.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

#include "core_fixtures.h"
#include "data/batching.h"
#include "greenbench/bert/exit_engine.h"
#include "greenbench/bert/trainer.h"
#include "methods/early_exit/exit_rules.h"
#include "trained_model.h"

using namespace greenbench;
using namespace greenbench::core_test;

namespace {

std::vector<Prediction> predict_all(BertClassifier& model, const EncodedSet& set, const std::vector<double>& temperatures,
                                    ExitRule& rule, const std::vector<std::vector<int64_t>>& batches) {
  std::vector<Prediction> all(set.size()), out;
  for (const auto& indices : batches) {
    Batch batch = collate(set, indices);
    predict_with_exits(model, batch, temperatures, rule, out);
    REQUIRE(out.size() == indices.size());
    for (size_t i = 0; i < indices.size(); ++i) all[static_cast<size_t>(indices[i])] = out[i];
  }
  return all;
}

std::vector<std::vector<int64_t>> shuffled_batches(size_t n, int batch_size, uint64_t seed) {
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<std::vector<int64_t>> batches;
  for (size_t start = 0; start < n; start += static_cast<size_t>(batch_size))
    batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(start),
                         order.begin() + static_cast<std::ptrdiff_t>(std::min(n, start + batch_size)));
  return batches;
}

std::vector<std::vector<int64_t>> singletons(size_t n) {
  std::vector<std::vector<int64_t>> batches;
  for (size_t i = 0; i < n; ++i) batches.push_back({static_cast<int64_t>(i)});
  return batches;
}

void require_same(const std::vector<Prediction>& a, const std::vector<Prediction>& b, const std::string& what) {
  REQUIRE(a.size() == b.size());
  int mismatches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const bool same = a[i].label == b[i].label && a[i].layers_run == b[i].layers_run &&
                      a[i].exits_evaluated == b[i].exits_evaluated && std::abs(a[i].confidence - b[i].confidence) <= 1e-5;
    if (!same && mismatches++ < 5) {
      UNSCOPED_INFO(what << ": instance " << i << ": label " << a[i].label << " vs " << b[i].label << ", layers "
                         << a[i].layers_run << " vs " << b[i].layers_run << ", exits " << a[i].exits_evaluated
                         << " vs " << b[i].exits_evaluated << ", confidence " << a[i].confidence << " vs "
                         << b[i].confidence);
    }
  }
  CHECK(mismatches == 0);
}

// Exits instance `index` of the set at exit index % num_exits, using the rows
// the engine passes to map back to dataset indices.
class ScheduledRule : public ExitRule {
 public:
  explicit ScheduledRule(int num_exits) : num_exits_(num_exits) {}
  const Batch* batch = nullptr;
  torch::Tensor should_exit(int exit_index, const torch::Tensor& probs, const torch::Tensor& rows) override {
    auto out = torch::zeros({rows.size(0)}, torch::kBool);
    REQUIRE(probs.size(0) == rows.size(0));
    auto out_acc = out.accessor<bool, 1>();
    auto rows_acc = rows.accessor<int64_t, 1>();
    for (int64_t i = 0; i < rows.size(0); ++i) {
      const int64_t index = batch->indices[static_cast<size_t>(rows_acc[i])];
      out_acc[i] = (index % num_exits_) == exit_index;
    }
    return out;
  }

 private:
  int num_exits_;
};

}  // namespace

TEST_CASE("batched early exit gives every instance the answer and path it gets alone", "[early_exit]") {
  auto& m = trained_exit_model();
  const auto sorted = sorted_batches(m.test, 32);
  const auto shuffled = shuffled_batches(m.test.size(), 32, 99);
  const auto alone = singletons(m.test.size());
  size_t most_exits_used = 0;
  for (double threshold : {0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99}) {
    ConfidenceRule rule(threshold);
    auto by_sorted = predict_all(m.model, m.test, m.temperatures, rule, sorted);
    auto by_shuffled = predict_all(m.model, m.test, m.temperatures, rule, shuffled);
    auto by_one = predict_all(m.model, m.test, m.temperatures, rule, alone);
    std::ostringstream name;
    name << "threshold " << threshold;
    require_same(by_sorted, by_one, name.str() + ", sorted batches of 32 vs batch size 1");
    require_same(by_shuffled, by_one, name.str() + ", shuffled batches of 32 vs batch size 1");

    std::map<int, int> histogram;
    for (const auto& p : by_one) {
      histogram[p.layers_run] += 1;
      CHECK((p.label == 0 || p.label == 1));
      CHECK(p.layers_run >= 1);
      CHECK(p.layers_run <= 4);
      CHECK(p.exits_evaluated == p.layers_run);  // an exit at every layer
      if (p.layers_run < 4) CHECK(p.confidence >= threshold - 1e-6);
    }
    std::ostringstream h;
    for (auto [layers, count] : histogram) h << layers << ":" << count << " ";
    UNSCOPED_INFO("threshold " << threshold << " layers-run histogram " << h.str());
    most_exits_used = std::max(most_exits_used, histogram.size());
  }
  // Otherwise the comparison above never exercised dropping rows mid-batch
  // (and, with 3 or more, dropping them more than once per batch).
  CHECK(most_exits_used > 1);
  CHECK(most_exits_used >= 3);
}

TEST_CASE("thresholds at or below 1/labels are one operating point, since every top probability reaches them",
          "[early_exit]") {
  const std::vector<double> grid = {0.0, 0.34, 0.4, 0.5, 0.5, 0.9, 1.0};
  CHECK(distinct_confidence_thresholds(grid, 2) == std::vector<double>{0.5, 0.9, 1.0});
  CHECK(distinct_confidence_thresholds(grid, 3) == std::vector<double>{0.0, 0.34, 0.4, 0.5, 0.9, 1.0});
  CHECK(distinct_confidence_thresholds({1.0 / 3, 0.2, 0.34}, 3) == std::vector<double>{1.0 / 3, 0.34});
  CHECK(distinct_confidence_thresholds({0.9, 0.6}, 4) == std::vector<double>{0.9, 0.6});
  // The premise: at 1/labels every row exits, ties of all labels included.
  torch::manual_seed(4);
  for (int labels : {2, 3, 4}) {
    auto logits = torch::randn({500, labels}) * 3;
    logits[0].fill_(1.5);  // all labels equally likely
    const auto probs = torch::softmax(logits, 1);
    ConfidenceRule at_floor(1.0 / labels);
    CHECK(at_floor.should_exit(0, probs, torch::arange(500)).all().item<bool>());
  }
}

TEST_CASE("thresholds of 1 and above run every instance through every layer, the last exit answers", "[early_exit]") {
  auto& m = trained_exit_model();
  auto logits = exit_logits_all(m.model, m.test);
  auto last_probs = torch::softmax(logits.back() / m.temperatures.back(), -1);
  auto [confidence, label] = last_probs.max(1);
  for (double threshold : {1.0, 1.01, 2.0}) {
    ConfidenceRule rule(threshold);
    auto predictions = predict_all(m.model, m.test, m.temperatures, rule, sorted_batches(m.test, 32));
    for (size_t i = 0; i < predictions.size(); ++i) {
      INFO("threshold " << threshold << ", instance " << i);
      CHECK(predictions[i].layers_run == 4);
      CHECK(predictions[i].exits_evaluated == 4);
      CHECK(predictions[i].label == label[static_cast<int64_t>(i)].item<int64_t>());
      CHECK(std::abs(predictions[i].confidence - confidence[static_cast<int64_t>(i)].item<float>()) <= 1e-5);
    }
  }
}

TEST_CASE("thresholds of 1 and above run every instance to the last layer even when a probability rounds to 1",
          "[early_exit][threshold_one]") {
  // early_exit's default thresholds end at 1.0, the operating point meant to
  // be the full-depth model. A float32 softmax rounds to exactly 1.0 once the
  // logit gap passes about 17, so `confidence >= 1.0` can fire at an early
  // exit. (Thresholds above 1 are safe: 1.01f > 1.0f.)
  const double threshold = GENERATE(1.0, 1.01, 2.0);
  INFO("threshold " << threshold);
  single_thread();
  torch::manual_seed(2);
  BertClassifier model(tiny_config(3, 32, 100, {0, 1, 2}));
  model->eval();
  {
    torch::NoGradGuard no_grad;
    auto& head = *model->exits[0]->as<torch::nn::Linear>();
    head.weight.zero_();
    head.bias.copy_(torch::tensor({40.0f, 0.0f}));  // exit 0: class 0 with probability 1.0f
  }
  EncodedSet set = synthetic_set(8, 4, 100, 5, 12);
  ConfidenceRule rule(threshold);
  std::vector<Prediction> out;
  predict_with_exits(model, collate(set, {0, 1, 2, 3, 4, 5, 6, 7}), {1.0, 1.0, 1.0}, rule, out);
  int early = 0;
  for (const auto& p : out) early += p.layers_run != 3;
  CHECK(early == 0);
}

TEST_CASE("each instance leaves at the first exit whose calibrated confidence reaches the threshold", "[early_exit]") {
  auto& m = trained_exit_model();
  auto logits = exit_logits_all(m.model, m.test);
  std::vector<torch::Tensor> confidence, label;
  for (size_t e = 0; e < logits.size(); ++e) {
    auto [c, l] = torch::softmax(logits[e] / m.temperatures[e], -1).max(1);
    confidence.push_back(c);
    label.push_back(l);
  }
  for (double threshold : {0.6, 0.8, 0.9}) {
    ConfidenceRule rule(threshold);
    auto predictions = predict_all(m.model, m.test, m.temperatures, rule, sorted_batches(m.test, 32));
    int checked = 0;
    for (size_t i = 0; i < predictions.size(); ++i) {
      const int64_t row = static_cast<int64_t>(i);
      int expected_exit = 3;
      bool borderline = false;
      for (int e = 0; e < 4; ++e) {
        const float c = confidence[e][row].item<float>();
        if (std::abs(c - threshold) < 1e-5) borderline = true;
        if (c >= threshold) {
          expected_exit = e;
          break;
        }
      }
      if (borderline) continue;  // a rounding difference may decide it either way
      ++checked;
      INFO("threshold " << threshold << ", instance " << i);
      CHECK(predictions[i].layers_run == expected_exit + 1);
      CHECK(predictions[i].label == label[expected_exit][row].item<int64_t>());
      CHECK(std::abs(predictions[i].confidence - confidence[expected_exit][row].item<float>()) <= 1e-5);
    }
    CHECK(checked > static_cast<int>(predictions.size()) * 9 / 10);
  }
}

TEST_CASE("an exit rule sees the original row numbers of the instances still running", "[early_exit]") {
  auto& m = trained_exit_model();
  auto logits = exit_logits_all(m.model, m.test);
  ScheduledRule rule(4);
  for (int batch_size : {32, 7, 1}) {
    std::vector<Prediction> all(m.test.size()), out;
    for (const auto& indices : shuffled_batches(m.test.size(), batch_size, 5)) {
      Batch batch = collate(m.test, indices);
      rule.batch = &batch;
      predict_with_exits(m.model, batch, m.temperatures, rule, out);
      for (size_t i = 0; i < indices.size(); ++i) all[static_cast<size_t>(indices[i])] = out[i];
    }
    for (size_t i = 0; i < all.size(); ++i) {
      const int exit = static_cast<int>(i % 4);
      INFO("batch size " << batch_size << ", instance " << i);
      CHECK(all[i].layers_run == exit + 1);
      CHECK(all[i].exits_evaluated == exit + 1);
      CHECK(all[i].label == logits[exit][static_cast<int64_t>(i)].argmax().item<int64_t>());
    }
  }
}

namespace {
// Where each instance should leave under the peers' rules, worked out from
// every exit's calibrated probabilities at once (no batching involved).
struct AllExits {
  std::vector<torch::Tensor> probs;  // per exit [N, C]
  explicit AllExits(TrainedExitModel& m) {
    auto logits = exit_logits_all(m.model, m.test);
    for (size_t e = 0; e < logits.size(); ++e) probs.push_back(torch::softmax(logits[e] / m.temperatures[e], -1));
  }
  double entropy(int e, int64_t i) const {
    auto p = probs[static_cast<size_t>(e)][i];
    return -(p * p.clamp_min(1e-30).log()).sum().item<double>() / std::log(static_cast<double>(p.size(0)));
  }
  int64_t label(int e, int64_t i) const { return probs[static_cast<size_t>(e)][i].argmax().item<int64_t>(); }
};

// A fresh rule per batch, as the early_exit method makes one per predict call.
template <typename MakeRule>
std::vector<Prediction> predict_each_batch(TrainedExitModel& m, const std::vector<std::vector<int64_t>>& batches,
                                           MakeRule make_rule) {
  std::vector<Prediction> all(m.test.size()), out;
  for (const auto& indices : batches) {
    Batch batch = collate(m.test, indices);
    auto rule = make_rule(static_cast<int64_t>(indices.size()));
    predict_with_exits(m.model, batch, m.temperatures, rule, out);
    for (size_t i = 0; i < indices.size(); ++i) all[static_cast<size_t>(indices[i])] = out[i];
  }
  return all;
}
}  // namespace

TEST_CASE("entropy rule (DeeBERT): leave at the first exit whose normalised entropy is below the threshold, batched as alone",
          "[early_exit]") {
  auto& m = trained_exit_model();
  AllExits all(m);
  for (double threshold : {0.2, 0.5, 0.8}) {
    auto make = [&](int64_t) { return EntropyRule(threshold); };
    auto batched = predict_each_batch(m, shuffled_batches(m.test.size(), 32, 7), make);
    auto alone = predict_each_batch(m, singletons(m.test.size()), make);
    require_same(batched, alone, "entropy " + std::to_string(threshold));
    int checked = 0;
    std::set<int> exits_used;
    for (size_t i = 0; i < batched.size(); ++i) {
      int expected = 3;
      bool borderline = false;
      for (int e = 0; e < 3; ++e) {
        const double h = all.entropy(e, static_cast<int64_t>(i));
        if (std::abs(h - threshold) < 1e-5) borderline = true;
        if (h < threshold) {
          expected = e;
          break;
        }
      }
      if (borderline) continue;
      ++checked;
      exits_used.insert(expected);
      INFO("entropy threshold " << threshold << ", instance " << i);
      CHECK(batched[i].layers_run == expected + 1);
      CHECK(batched[i].label == all.label(expected, static_cast<int64_t>(i)));
    }
    CHECK(checked > static_cast<int>(batched.size()) * 9 / 10);
    if (threshold == 0.5) CHECK(exits_used.size() >= 2);
  }
}

TEST_CASE("patience rule (PABEE): leave once the label has stayed the same for `patience` more exits, batched as alone",
          "[early_exit]") {
  auto& m = trained_exit_model();
  AllExits all(m);
  for (int patience : {0, 1, 2, 3}) {
    auto make = [&](int64_t batch_size) { return PatienceRule(patience, batch_size); };
    auto batched = predict_each_batch(m, shuffled_batches(m.test.size(), 32, 11), make);
    auto alone = predict_each_batch(m, singletons(m.test.size()), make);
    require_same(batched, alone, "patience " + std::to_string(patience));
    for (size_t i = 0; i < batched.size(); ++i) {
      const int64_t row = static_cast<int64_t>(i);
      int expected = 3, counter = 0;
      for (int e = 0; e < 4; ++e) {
        counter = e > 0 && all.label(e, row) == all.label(e - 1, row) ? counter + 1 : 0;
        if (counter >= patience) {
          expected = e;
          break;
        }
      }
      INFO("patience " << patience << ", instance " << i);
      CHECK(batched[i].layers_run == expected + 1);
      CHECK(batched[i].label == all.label(expected, row));
    }
  }
}
