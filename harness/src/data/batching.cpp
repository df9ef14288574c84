#include "data/batching.h"

#include <algorithm>
#include <numeric>

#include "util/progress.h"

namespace greenbench {

int64_t EncodedSet::total_tokens() const {
  int64_t total = 0;
  for (const auto& v : ids) total += static_cast<int64_t>(v.size());
  return total;
}

EncodedSet encode_split(const Split& split, const BertTokenizer& tokenizer, int max_len, const std::string& label) {
  EncodedSet set;
  const size_t n = split.examples.size();
  set.ids.reserve(n);
  set.type_ids.reserve(n);
  set.labels.reserve(n);
  std::unique_ptr<ProgressBar> bar;
  if (!label.empty()) bar = std::make_unique<ProgressBar>(label, static_cast<int64_t>(n));
  for (size_t i = 0; i < n; ++i) {
    const Example& ex = split.examples[i];
    Encoding e = tokenizer.encode(ex.text_a, ex.text_b, max_len);
    set.ids.push_back(std::move(e.ids));
    set.type_ids.push_back(std::move(e.type_ids));
    set.labels.push_back(ex.label);
    if (bar && (i % 256 == 255)) bar->advance(256);
  }
  if (bar) {
    bar->advance(static_cast<int64_t>(n % 256));
    bar->finish();
  }
  return set;
}

Batch collate(const EncodedSet& set, const std::vector<int64_t>& indices) {
  const int64_t batch = static_cast<int64_t>(indices.size());
  int64_t longest = 0;
  for (int64_t i : indices) longest = std::max<int64_t>(longest, static_cast<int64_t>(set.ids[i].size()));
  auto ids = torch::zeros({batch, longest}, torch::kLong);
  auto types = torch::zeros({batch, longest}, torch::kLong);
  auto mask = torch::zeros({batch, longest}, torch::kLong);
  auto labels = torch::empty({batch}, torch::kLong);
  auto* ids_p = ids.data_ptr<int64_t>();
  auto* types_p = types.data_ptr<int64_t>();
  auto* mask_p = mask.data_ptr<int64_t>();
  auto* labels_p = labels.data_ptr<int64_t>();
  Batch out;
  out.indices = indices;
  out.lengths.reserve(indices.size());
  for (int64_t b = 0; b < batch; ++b) {
    const auto& row = set.ids[indices[b]];
    const auto& row_types = set.type_ids[indices[b]];
    for (size_t t = 0; t < row.size(); ++t) {
      ids_p[b * longest + t] = row[t];
      types_p[b * longest + t] = row_types[t];
      mask_p[b * longest + t] = 1;
    }
    labels_p[b] = set.labels[indices[b]];
    out.lengths.push_back(static_cast<int>(row.size()));
  }
  out.input = {ids, types, mask};
  out.labels = labels;
  return out;
}

std::vector<std::vector<int64_t>> bucketed_batches(const EncodedSet& set, int batch_size, std::mt19937_64& rng) {
  std::vector<int64_t> order(set.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  const size_t pool = static_cast<size_t>(batch_size) * 50;
  std::vector<std::vector<int64_t>> batches;
  for (size_t start = 0; start < order.size(); start += pool) {
    auto first = order.begin() + static_cast<std::ptrdiff_t>(start);
    auto last = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + pool));
    std::stable_sort(first, last, [&](int64_t a, int64_t b) { return set.ids[a].size() < set.ids[b].size(); });
    for (auto it = first; it < last; it += std::min<std::ptrdiff_t>(batch_size, last - it)) {
      batches.emplace_back(it, std::min(last, it + batch_size));
    }
  }
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

std::vector<std::vector<int64_t>> sorted_batches(const EncodedSet& set, int batch_size) {
  std::vector<int64_t> order(set.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return set.ids[a].size() < set.ids[b].size(); });
  std::vector<std::vector<int64_t>> batches;
  for (size_t start = 0; start < order.size(); start += static_cast<size_t>(batch_size)) {
    size_t end = std::min(order.size(), start + static_cast<size_t>(batch_size));
    batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(start), order.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return batches;
}

}  // namespace greenbench
