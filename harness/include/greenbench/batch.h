// What a method is given to train on and to answer: a tokenized split
// (EncodedSet) and one padded batch of it (Batch). Tokenizing and batching
// themselves are the harness's (data/batching.h).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace greenbench {

/// A batch as the encoder takes it: [B,S] int64 tensors, padding id 0.
struct ModelInput {
  torch::Tensor input_ids, token_type_ids, attention_mask;
};

/// A tokenized split: ids per instance (special tokens included) and labels.
struct EncodedSet {
  std::vector<std::vector<int32_t>> ids, type_ids;
  std::vector<int64_t> labels;
  size_t size() const { return ids.size(); }
  /// Sum of the real lengths, for FLOPs and throughput.
  int64_t total_tokens() const;
};

/// One padded batch; `indices` are the instances' positions in the EncodedSet.
struct Batch {
  ModelInput input;
  torch::Tensor labels;  ///< [B] int64
  std::vector<int64_t> indices;
  std::vector<int> lengths;  ///< real lengths, before padding
};

}  // namespace greenbench
