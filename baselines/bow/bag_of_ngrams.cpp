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

NgramBatch hash_ngrams(const EncodedSet& set, const std::vector<int64_t>& indices, int max_ngram, int64_t buckets) {
  std::vector<int64_t> ids, offsets;
  offsets.reserve(indices.size());
  for (int64_t index : indices) {
    offsets.push_back(static_cast<int64_t>(ids.size()));
    const auto& tokens = set.ids[static_cast<size_t>(index)];
    const auto& segments = set.type_ids[static_cast<size_t>(index)];
    const size_t len = tokens.size();
    for (size_t start = 0; start < len; ++start) {
      uint64_t h = mix(static_cast<uint64_t>(segments[start]) + 1);
      for (int n = 1; n <= max_ngram && start + static_cast<size_t>(n) <= len; ++n) {
        h = mix(h ^ (static_cast<uint64_t>(tokens[start + static_cast<size_t>(n) - 1]) + (static_cast<uint64_t>(n) << 40)));
        ids.push_back(static_cast<int64_t>(h % static_cast<uint64_t>(buckets)));
      }
    }
  }
  // An instance without tokens still needs one entry for the bag; bucket 0 stands in.
  if (ids.empty()) ids.push_back(0);
  return {torch::tensor(ids, torch::kLong), torch::tensor(offsets, torch::kLong)};
}

BagOfNgramsImpl::BagOfNgramsImpl(const BagOfNgramsShape& s) : shape(s) {
  embedding = register_module(
      "embedding", torch::nn::EmbeddingBag(torch::nn::EmbeddingBagOptions(s.buckets, s.embedding_dim).mode(torch::kMean)));
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
