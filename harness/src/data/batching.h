// From examples to model batches: tokenize a split once, then cut it into
// length-bucketed batches padded only to each batch's longest instance.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <random>
#include <vector>

#include "greenbench/task.h"
#include "model/bert.h"
#include "text/wordpiece.h"

namespace greenbench {

/// A tokenized split: ids per instance (special tokens included) and labels.
struct EncodedSet {
  std::vector<std::vector<int32_t>> ids, type_ids;
  std::vector<int64_t> labels;
  size_t size() const { return ids.size(); }
  /// Sum of the real lengths, for FLOPs and throughput.
  int64_t total_tokens() const;
};

/// Tokenizes every example (with a progress bar when `label` is non-empty).
EncodedSet encode_split(const Split& split, const BertTokenizer& tokenizer, int max_len, const std::string& label = "");

/// One padded batch; `indices` are the instances' positions in the EncodedSet.
struct Batch {
  ModelInput input;
  torch::Tensor labels;  ///< [B] int64
  std::vector<int64_t> indices;
  std::vector<int> lengths;  ///< real lengths, before padding
};

/// Pads the chosen instances to the longest of them (pad id 0).
Batch collate(const EncodedSet& set, const std::vector<int64_t>& indices);

/// Training order: shuffle, sort by length inside pools of 50 batches (so a
/// batch holds similar lengths and little padding), cut, shuffle the batches.
std::vector<std::vector<int64_t>> bucketed_batches(const EncodedSet& set, int batch_size, std::mt19937_64& rng);

/// Evaluation order: all instances sorted by length, cut into batches.
std::vector<std::vector<int64_t>> sorted_batches(const EncodedSet& set, int batch_size);

}  // namespace greenbench
