// Learns a WordPiece vocabulary from training text when no pretrained vocab.txt
// is given (models here are trained from scratch).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "text/vocab.h"

namespace greenbench {

struct VocabBuildOptions {
  size_t vocab_size = 16000;  ///< upper bound, special tokens included
  size_t min_frequency = 2;   ///< words/pieces rarer than this are not added
  bool lower_case = true;
};

/// Builds a vocabulary from texts: special tokens first ([PAD]=0, [UNK], [CLS],
/// [SEP], [MASK]), then every character seen (as "c" and "##c"), then the
/// subwords learned by merging frequent adjacent pieces (WordPiece training,
/// as in Hugging Face tokenizers). Deterministic for the same input.
Vocab build_wordpiece_vocab(const std::vector<std::string>& texts, const VocabBuildOptions& options);

}  // namespace greenbench
