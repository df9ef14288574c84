// A fastText-style classifier (Joulin et al. 2017): the word-piece uni- to
// n-grams of an instance, each hashed with its segment (premise or
// hypothesis) into a bucket of one embedding table, averaged, then one
// linear layer.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "data/batching.h"
#include "greenbench/model_shape.h"

namespace greenbench {

/// The bucket ids of every n-gram of instances `indices` of `set`, flat, with
/// the offset where each instance's list starts (torch::nn::EmbeddingBag's input).
struct NgramBatch {
  torch::Tensor buckets;  ///< int64 [total n-grams]
  torch::Tensor offsets;  ///< int64 [instances]
};
NgramBatch hash_ngrams(const EncodedSet& set, const std::vector<int64_t>& indices, int max_ngram, int64_t buckets);
/// The same for a padded batch, each row read up to its real length.
NgramBatch hash_ngrams(const Batch& batch, int max_ngram, int64_t buckets);

struct BagOfNgramsImpl : torch::nn::Module {
  explicit BagOfNgramsImpl(const BagOfNgramsShape& shape);
  torch::Tensor forward(const NgramBatch& batch);  ///< logits [B, C]
  BagOfNgramsShape shape;
  torch::nn::EmbeddingBag embedding{nullptr};
  torch::nn::Linear classifier{nullptr};
};
TORCH_MODULE(BagOfNgrams);

}  // namespace greenbench
