// From examples to model batches: tokenize a split once, then cut it into
// length-bucketed batches padded only to each batch's longest instance.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <random>
#include <vector>

#include "greenbench/batch.h"
#include "greenbench/task.h"
#include "text/wordpiece.h"

namespace greenbench {

/// Tokenizes every example (with a progress bar when `label` is non-empty).
EncodedSet encode_split(const Split& split, const BertTokenizer& tokenizer, int max_len, const std::string& label = "");

/// Pads the chosen instances to the longest of them (pad id 0).
Batch collate(const EncodedSet& set, const std::vector<int64_t>& indices);

/// Training order: shuffle, sort by length inside pools of 50 batches (so a
/// batch holds similar lengths and little padding), cut, shuffle the batches.
std::vector<std::vector<int64_t>> bucketed_batches(const EncodedSet& set, int batch_size, std::mt19937_64& rng);

/// Evaluation order: all instances sorted by length, cut into batches.
std::vector<std::vector<int64_t>> sorted_batches(const EncodedSet& set, int batch_size);

}  // namespace greenbench
