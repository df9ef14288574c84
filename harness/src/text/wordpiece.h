// WordPiece (greedy longest-match-first) and the BERT tokenizer that joins the
// basic tokenizer, WordPiece and the [CLS] a [SEP] b [SEP] layout.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "text/basic_tokenizer.h"
#include "text/vocab.h"

namespace greenbench {

class WordPiece {
 public:
  explicit WordPiece(const Vocab& vocab, int max_chars_per_word = 100);
  /// Appends the ids of one basic token; a word that cannot be split becomes [UNK].
  void encode_word(const std::string& word, std::vector<int32_t>& ids) const;
  /// encode_word for a view, without copying the word.
  void encode_word_view(std::string_view word, std::vector<int32_t>& ids) const;

 private:
  struct Lookup;

  const Vocab& vocab_;  // read only while constructing: copies may outlive it
  int max_chars_per_word_;
  std::shared_ptr<const Lookup> lookup_;  // immutable, shared by copies
};

/// Model input for one instance.
struct Encoding {
  std::vector<int32_t> ids;       ///< [CLS] a [SEP] (b [SEP])
  std::vector<int32_t> type_ids;  ///< 0 for a's segment, 1 for b's
};

class BertTokenizer {
 public:
  /// Keeps a copy of the vocabulary.
  explicit BertTokenizer(Vocab vocab, bool lower_case = true);
  /// WordPiece ids of a text, without special tokens.
  std::vector<int32_t> encode_text(std::string_view text) const;
  /// Full encoding truncated to max_len ids, special tokens included; pairs
  /// are truncated longest-first, as Hugging Face does. An empty text_b means
  /// a single sequence. Throws Error if max_len cannot hold the special tokens.
  Encoding encode(std::string_view text_a, std::string_view text_b, int max_len) const;
  const Vocab& vocab() const { return vocab_; }

 private:
  Vocab vocab_;
  BasicTokenizer basic_;
  WordPiece wordpiece_;
};

}  // namespace greenbench
