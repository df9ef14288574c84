// WordPiece encoding (Hugging Face's WordpieceTokenizer semantics) and the
// BERT input layout with longest-first pair truncation.
#include "text/wordpiece.h"

#include <algorithm>

#include "greenbench/error.h"
#include "text/string_table.h"
#include "text/unicode.h"

namespace greenbench {

namespace {
constexpr std::string_view kContinuation = "##";
}  // namespace

// Two tables so that a probe never builds "##" + substring: `initial` holds
// every token as written (a word's first piece), `continuation` holds the
// "##" tokens without their prefix. The longest key of each bounds the probes:
// a substring longer than any token cannot match, so greedy longest-match
// starts there instead of at the end of the word.
struct WordPiece::Lookup {
  StringTable initial, continuation;
  std::vector<int32_t> initial_ids, continuation_ids;
  size_t max_initial_bytes = 0, max_continuation_bytes = 0;
  int32_t unk_id = -1;
};

WordPiece::WordPiece(const Vocab& vocab, int max_chars_per_word)
    : vocab_(vocab), max_chars_per_word_(max_chars_per_word) {
  auto lookup = std::make_shared<Lookup>();
  for (int32_t id = 0; id < vocab_.size(); ++id) {
    const std::string& token = vocab_.token(id);
    if (lookup->initial.intern(token) == static_cast<int32_t>(lookup->initial_ids.size())) {
      lookup->initial_ids.push_back(id);
      lookup->max_initial_bytes = std::max(lookup->max_initial_bytes, token.size());
    }
    if (token.size() > kContinuation.size() && token.compare(0, kContinuation.size(), kContinuation) == 0) {
      const std::string_view rest = std::string_view(token).substr(kContinuation.size());
      if (lookup->continuation.intern(rest) == static_cast<int32_t>(lookup->continuation_ids.size())) {
        lookup->continuation_ids.push_back(id);
        lookup->max_continuation_bytes = std::max(lookup->max_continuation_bytes, rest.size());
      }
    }
  }
  lookup->unk_id = vocab_.unk_id();
  lookup_ = std::move(lookup);
}

void WordPiece::encode_word(const std::string& word, std::vector<int32_t>& ids) const {
  encode_word_view(word, ids);
}

void WordPiece::encode_word_view(std::string_view word, std::vector<int32_t>& ids) const {
  if (word.empty()) return;
  const Lookup& lookup = *lookup_;
  const auto max_chars = static_cast<size_t>(std::max(max_chars_per_word_, 0));
  if (word.size() > max_chars && utf8::length(word) > max_chars) {  // bytes bound characters: skip the count
    ids.push_back(lookup.unk_id);
    return;
  }
  const size_t first = ids.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(word.data());
  size_t start = 0;
  while (start < word.size()) {
    const bool initial = start == 0;
    const StringTable& table = initial ? lookup.initial : lookup.continuation;
    const size_t max_bytes = initial ? lookup.max_initial_bytes : lookup.max_continuation_bytes;
    // Candidate ends lie on character boundaries, longest first.
    size_t end = std::min(word.size(), start + max_bytes);
    while (end > start && end < word.size() && utf8::is_continuation(bytes[end])) --end;
    int32_t found = -1;
    while (end > start) {
      found = table.find(word.substr(start, end - start));
      if (found >= 0) break;
      do {
        --end;
      } while (end > start && utf8::is_continuation(bytes[end]));
    }
    if (found < 0) {
      // HF: a word with any unmatchable remainder is one [UNK] as a whole.
      ids.resize(first);
      ids.push_back(lookup.unk_id);
      return;
    }
    ids.push_back(initial ? lookup.initial_ids[static_cast<size_t>(found)]
                          : lookup.continuation_ids[static_cast<size_t>(found)]);
    start = end;
  }
}

BertTokenizer::BertTokenizer(Vocab vocab, bool lower_case)
    : vocab_(std::move(vocab)), basic_(lower_case), wordpiece_(vocab_) {}

std::vector<int32_t> BertTokenizer::encode_text(std::string_view text) const {
  std::vector<int32_t> ids;
  basic_.tokenize_each(text, [&](std::string_view token) { wordpiece_.encode_word_view(token, ids); });
  return ids;
}

Encoding BertTokenizer::encode(std::string_view text_a, std::string_view text_b, int max_len) const {
  const bool pair = !text_b.empty();
  const int num_special = pair ? 3 : 2;
  if (max_len < num_special) {
    throw Error("tokenizer: max_len " + std::to_string(max_len) + " leaves no room for the " +
                std::to_string(num_special) + " special tokens of a " + (pair ? "pair" : "single text"));
  }
  std::vector<int32_t> a = encode_text(text_a);
  std::vector<int32_t> b;
  if (pair) b = encode_text(text_b);

  // Longest-first, one token at a time from the longer sequence; ties trim b.
  const size_t budget = static_cast<size_t>(max_len - num_special);
  while (a.size() + b.size() > budget) {
    if (a.size() > b.size()) {
      a.pop_back();
    } else {
      b.pop_back();
    }
  }

  Encoding e;
  e.ids.reserve(a.size() + b.size() + static_cast<size_t>(num_special));
  e.ids.push_back(vocab_.cls_id());
  e.ids.insert(e.ids.end(), a.begin(), a.end());
  e.ids.push_back(vocab_.sep_id());
  e.type_ids.assign(e.ids.size(), 0);
  if (pair) {
    e.ids.insert(e.ids.end(), b.begin(), b.end());
    e.ids.push_back(vocab_.sep_id());
    e.type_ids.resize(e.ids.size(), 1);
  }
  return e;
}

}  // namespace greenbench
