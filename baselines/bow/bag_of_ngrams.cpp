#include "bag_of_ngrams.h"

namespace greenbench {
namespace {
// splitmix64's finaliser: a cheap hash whose low bits are well mixed.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

namespace {
// Appends the bucket of every n-gram of one instance (tokens and their
// segments, `len` of them) to `ids`.
template <typename Token, typename Segment>
void append_ngrams(const Token& tokens, const Segment& segments, size_t len, int max_ngram, int64_t buckets,
                   std::vector<int64_t>& ids) {
  for (size_t start = 0; start < len; ++start) {
    uint64_t h = mix(static_cast<uint64_t>(segments[start]) + 1);
    for (int n = 1; n <= max_ngram && start + static_cast<size_t>(n) <= len; ++n) {
      h = mix(h ^ (static_cast<uint64_t>(tokens[start + static_cast<size_t>(n) - 1]) + (static_cast<uint64_t>(n) << 40)));
      ids.push_back(static_cast<int64_t>(h % static_cast<uint64_t>(buckets)));
    }
  }
}

NgramBatch to_tensors(std::vector<int64_t>& ids, const std::vector<int64_t>& offsets) {
  // An instance without tokens still needs one entry for the bag; bucket 0 stands in.
  if (ids.empty()) ids.push_back(0);
  return {torch::tensor(ids, torch::kLong), torch::tensor(offsets, torch::kLong)};
}
}  // namespace

NgramBatch hash_ngrams(const EncodedSet& set, const std::vector<int64_t>& indices, int max_ngram, int64_t buckets) {
  std::vector<int64_t> ids, offsets;
  offsets.reserve(indices.size());
  for (int64_t index : indices) {
    offsets.push_back(static_cast<int64_t>(ids.size()));
    const auto& tokens = set.ids[static_cast<size_t>(index)];
    append_ngrams(tokens, set.type_ids[static_cast<size_t>(index)], tokens.size(), max_ngram, buckets, ids);
  }
  return to_tensors(ids, offsets);
}

NgramBatch hash_ngrams(const Batch& batch, int max_ngram, int64_t buckets) {
  // Straight from the padded tensors, each row up to its real length: no
  // copy of the instances in the timed loop.
  const auto tokens = batch.input.input_ids.accessor<int64_t, 2>();
  const auto segments = batch.input.token_type_ids.accessor<int64_t, 2>();
  std::vector<int64_t> ids, offsets;
  offsets.reserve(batch.lengths.size());
  for (size_t r = 0; r < batch.lengths.size(); ++r) {
    offsets.push_back(static_cast<int64_t>(ids.size()));
    const auto row = static_cast<int64_t>(r);
    append_ngrams(tokens[row], segments[row], static_cast<size_t>(batch.lengths[r]), max_ngram, buckets, ids);
  }
  return to_tensors(ids, offsets);
}

BagOfNgramsImpl::BagOfNgramsImpl(const BagOfNgramsShape& s) : shape(s) {
  embedding = register_module(
      "embedding", torch::nn::EmbeddingBag(torch::nn::EmbeddingBagOptions(s.buckets, s.embedding_dim).mode(torch::kMean).sparse(true)));
  classifier = register_module("classifier", torch::nn::Linear(s.embedding_dim, s.num_labels));
  torch::NoGradGuard no_grad;
  // fastText's initialisation: embeddings uniform in +-1/dim, output zero.
  embedding->weight.uniform_(-1.0 / s.embedding_dim, 1.0 / s.embedding_dim);
  classifier->weight.zero_();
  classifier->bias.zero_();
}

torch::Tensor BagOfNgramsImpl::forward(const NgramBatch& batch) {
  return classifier(embedding(batch.buckets, batch.offsets));
}

}  // namespace greenbench
