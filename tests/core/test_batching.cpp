// From EncodedSet to batches: collate pads to the batch's longest instance
// with id 0 and mask 0; sorted_batches and bucketed_batches cover every
// instance exactly once, in length order or seeded shuffled order.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "core_fixtures.h"
#include "data/batching.h"

using namespace greenbench;
using namespace greenbench::core_test;

namespace {
// Every index 0..n-1 appears exactly once across the batches.
bool covers_once(const std::vector<std::vector<int64_t>>& batches, size_t n) {
  std::vector<int> seen(n, 0);
  for (const auto& b : batches)
    for (int64_t i : b) {
      if (i < 0 || static_cast<size_t>(i) >= n) return false;
      seen[static_cast<size_t>(i)] += 1;
    }
  return std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; });
}
}  // namespace

TEST_CASE("collate pads to the longest instance with id 0 and mask 0", "[batching]") {
  EncodedSet set;
  set.ids = {{2, 11, 12, 3}, {2, 13, 3}, {2, 14, 15, 16, 17, 3}};
  set.type_ids = {{0, 0, 0, 0}, {0, 1, 1}, {0, 0, 0, 1, 1, 1}};
  set.labels = {1, 0, 1};
  CHECK(set.total_tokens() == 13);
  Batch batch = collate(set, {1, 2});
  CHECK(batch.indices == std::vector<int64_t>{1, 2});
  CHECK(batch.lengths == std::vector<int>{3, 6});
  CHECK(batch.input.input_ids.sizes() == torch::IntArrayRef({2, 6}));
  CHECK(torch::equal(batch.input.input_ids, torch::tensor({2, 13, 3, 0, 0, 0, 2, 14, 15, 16, 17, 3}, torch::kLong).view({2, 6})));
  CHECK(torch::equal(batch.input.token_type_ids, torch::tensor({0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1}, torch::kLong).view({2, 6})));
  CHECK(torch::equal(batch.input.attention_mask, torch::tensor({1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1}, torch::kLong).view({2, 6})));
  CHECK(torch::equal(batch.labels, torch::tensor({0, 1}, torch::kLong)));
}

TEST_CASE("sorted_batches covers every instance once, shortest first", "[batching]") {
  EncodedSet set = synthetic_set(103, 5, 100, 5, 40);
  auto batches = sorted_batches(set, 10);
  REQUIRE(batches.size() == 11);
  CHECK(batches.back().size() == 3);
  CHECK(covers_once(batches, set.size()));
  size_t previous = 0;
  for (const auto& b : batches)
    for (int64_t i : b) {
      CHECK(set.ids[static_cast<size_t>(i)].size() >= previous);
      previous = set.ids[static_cast<size_t>(i)].size();
    }
}

TEST_CASE("bucketed_batches covers every instance once and depends only on the seed", "[batching]") {
  EncodedSet set = synthetic_set(1000, 6, 100, 5, 40);
  std::mt19937_64 a(1), b(1), c(2);
  auto first = bucketed_batches(set, 16, a);
  CHECK(covers_once(first, set.size()));
  for (const auto& batch : first) CHECK(batch.size() <= 16);
  CHECK(first == bucketed_batches(set, 16, b));
  CHECK(first != bucketed_batches(set, 16, c));
  // Bucketing keeps padding low: lengths inside a batch are close together.
  double padding = 0, tokens = 0;
  for (const auto& batch : first) {
    size_t longest = 0;
    for (int64_t i : batch) longest = std::max(longest, set.ids[static_cast<size_t>(i)].size());
    for (int64_t i : batch) {
      padding += static_cast<double>(longest - set.ids[static_cast<size_t>(i)].size());
      tokens += static_cast<double>(set.ids[static_cast<size_t>(i)].size());
    }
  }
  CHECK(padding < 0.1 * tokens);
}
