// WordPiece vocabulary training, after Hugging Face tokenizers' WordPieceTrainer
// (a BPE trainer with the "##" continuation prefix): each word starts as its
// first character followed by "##"-prefixed characters, and the most frequent
// adjacent pair (counted over the word-frequency table) is merged into a new
// token until the vocabulary is full or no pair is frequent enough.
//
// Cost: the text is pre-tokenized once into a table of unique words; after
// that a merge touches only the words that contain its pair (an index from
// pair to words), pair counts are updated incrementally, and the best pair
// comes from a max-heap whose stale entries are re-checked when they surface.
// A word is rewritten at most (its length - 1) times, so merging is cheap next
// to pre-tokenization.
#include "text/vocab_builder.h"

#include <algorithm>
#include <numeric>
#include <queue>
#include <unordered_map>

#include "greenbench/error.h"
#include "text/basic_tokenizer.h"
#include "text/string_table.h"
#include "text/unicode.h"

namespace greenbench {
namespace {

constexpr const char* kContinuation = "##";

using PairKey = uint64_t;  // (left id << 32) | right id: orders as (left, right)

PairKey pair_key(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

struct PairStats {
  int64_t count = 0;
  std::vector<uint32_t> words;  // words that contain (or once contained) the pair
};

struct HeapEntry {
  int64_t count;
  PairKey pair;
};

// Max-heap order: higher count first; on ties the smaller (left, right) ids,
// which makes training deterministic (ids are assigned deterministically).
struct HeapLess {
  bool operator()(const HeapEntry& x, const HeapEntry& y) const {
    if (x.count != y.count) return x.count < y.count;
    return x.pair > y.pair;
  }
};

}  // namespace

Vocab build_wordpiece_vocab(const std::vector<std::string>& texts, const VocabBuildOptions& options) {
  const std::vector<std::string> specials = {Vocab::kPad, Vocab::kUnk, Vocab::kCls, Vocab::kSep, Vocab::kMask};
  if (options.vocab_size < specials.size()) {
    throw Error("vocabulary: vocab_size " + std::to_string(options.vocab_size) + " cannot hold the " +
                std::to_string(specials.size()) + " special tokens");
  }
  const auto min_frequency = static_cast<int64_t>(std::max<size_t>(options.min_frequency, 1));

  // 1. Word frequencies.
  StringTable word_table;
  std::vector<int64_t> word_freq;
  BasicTokenizer basic(options.lower_case);
  for (const std::string& text : texts) {
    basic.tokenize_each(text, [&](std::string_view word) {
      const auto index = static_cast<size_t>(word_table.intern(word));
      if (index == word_freq.size()) word_freq.push_back(0);
      ++word_freq[index];
    });
  }
  // Sorted, so that nothing below depends on hash order.
  std::vector<int32_t> order(word_table.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int32_t x, int32_t y) { return word_table.key(x) < word_table.key(y); });

  // 2. Alphabet: characters seen at least min_frequency times.
  std::unordered_map<char32_t, int64_t> char_freq;
  std::vector<std::vector<char32_t>> word_chars(order.size());
  for (size_t w = 0; w < order.size(); ++w) {
    const std::string_view word = word_table.key(order[w]);
    const int64_t freq = word_freq[static_cast<size_t>(order[w])];
    for (size_t i = 0; i < word.size();) {
      const char32_t cp = utf8::decode(word, i);
      word_chars[w].push_back(cp);
      char_freq[cp] += freq;
    }
  }
  std::vector<std::pair<char32_t, int64_t>> alphabet;
  for (const auto& [cp, freq] : char_freq) {
    if (freq >= min_frequency) alphabet.emplace_back(cp, freq);
  }
  // Each character costs two tokens; if they do not all fit, keep the most frequent.
  const size_t max_chars = (options.vocab_size - specials.size()) / 2;
  if (alphabet.size() > max_chars) {
    std::sort(alphabet.begin(), alphabet.end(), [](const auto& x, const auto& y) {
      return x.second != y.second ? x.second > y.second : x.first < y.first;
    });
    alphabet.resize(max_chars);
  }
  std::sort(alphabet.begin(), alphabet.end());

  std::vector<std::string> tokens = specials;
  StringTable token_table;  // token -> id (interned in id order)
  for (const auto& t : tokens) token_table.intern(t);
  auto add_token = [&](std::string token) {
    const int32_t id = token_table.intern(token);
    if (id == static_cast<int32_t>(tokens.size())) tokens.push_back(std::move(token));
    return id;
  };
  std::unordered_map<char32_t, std::pair<int32_t, int32_t>> char_ids;  // initial, continuation
  for (const auto& [cp, freq] : alphabet) {
    std::string s;
    utf8::append(s, cp);
    char_ids[cp].first = add_token(s);
  }
  for (const auto& [cp, freq] : alphabet) {
    std::string s = kContinuation;
    utf8::append(s, cp);
    char_ids[cp].second = add_token(s);
  }

  // 3. Words as symbol sequences, stored back to back. A word holding a
  // character outside the alphabet can only ever be [UNK], so it does not vote.
  std::vector<int32_t> symbols;
  std::vector<size_t> word_begin;
  std::vector<uint32_t> word_len;
  std::vector<int64_t> word_count;
  for (size_t w = 0; w < order.size(); ++w) {
    const auto& chars = word_chars[w];
    if (chars.size() < 2) continue;  // no pairs
    const size_t begin = symbols.size();
    bool known = true;
    for (size_t i = 0; i < chars.size() && known; ++i) {
      auto it = char_ids.find(chars[i]);
      if (it == char_ids.end()) {
        known = false;
      } else {
        symbols.push_back(i == 0 ? it->second.first : it->second.second);
      }
    }
    if (!known) {
      symbols.resize(begin);
      continue;
    }
    word_begin.push_back(begin);
    word_len.push_back(static_cast<uint32_t>(chars.size()));
    word_count.push_back(word_freq[static_cast<size_t>(order[w])]);
  }
  word_chars.clear();
  word_chars.shrink_to_fit();

  std::unordered_map<PairKey, PairStats> pairs;
  pairs.reserve(1 << 16);
  for (uint32_t w = 0; w < word_begin.size(); ++w) {
    const int32_t* s = symbols.data() + word_begin[w];
    for (uint32_t i = 0; i + 1 < word_len[w]; ++i) {
      PairStats& stats = pairs[pair_key(s[i], s[i + 1])];
      stats.count += word_count[w];
      if (stats.words.empty() || stats.words.back() != w) stats.words.push_back(w);
    }
  }
  std::vector<HeapEntry> initial_entries;
  initial_entries.reserve(pairs.size());
  for (const auto& [key, stats] : pairs) initial_entries.push_back({stats.count, key});
  std::priority_queue<HeapEntry, std::vector<HeapEntry>, HeapLess> heap(HeapLess{}, std::move(initial_entries));

  // 4. Merges.
  std::vector<uint32_t> visited(word_begin.size(), 0);  // merge number that last rewrote the word
  uint32_t merge_number = 0;
  std::vector<PairKey> new_pairs;
  while (tokens.size() < options.vocab_size && !heap.empty()) {
    const HeapEntry top = heap.top();
    heap.pop();
    auto it = pairs.find(top.pair);
    const int64_t current = it == pairs.end() ? 0 : it->second.count;
    if (current != top.count) {  // stale entry: counts fell since it was pushed
      if (current > 0) heap.push({current, top.pair});
      continue;
    }
    if (current < min_frequency) break;

    const auto left = static_cast<int32_t>(top.pair >> 32);
    const auto right = static_cast<int32_t>(top.pair & 0xFFFFFFFFu);
    std::string merged = tokens[static_cast<size_t>(left)];
    const std::string& right_token = tokens[static_cast<size_t>(right)];
    const size_t prefix = right_token.compare(0, 2, kContinuation) == 0 ? 2 : 0;
    merged.append(right_token, prefix, std::string::npos);
    // The same string can come from different pairs ("a"+"##bc", "ab"+"##c"); it keeps its first id.
    const int32_t new_id = add_token(std::move(merged));

    std::vector<uint32_t> candidates = std::move(it->second.words);
    it->second.words.clear();
    it->second.count = 0;
    ++merge_number;
    new_pairs.clear();
    for (const uint32_t w : candidates) {
      if (visited[w] == merge_number) continue;
      visited[w] = merge_number;
      int32_t* s = symbols.data() + word_begin[w];
      const uint32_t len = word_len[w];
      bool present = false;
      for (uint32_t i = 0; i + 1 < len && !present; ++i) present = s[i] == left && s[i + 1] == right;
      if (!present) continue;  // merged away by an earlier merge
      const int64_t count = word_count[w];
      // Withdraw the word's pairs, merge left to right, then count its new pairs.
      for (uint32_t i = 0; i + 1 < len; ++i) {
        const PairKey key = pair_key(s[i], s[i + 1]);
        if (key != top.pair) pairs.find(key)->second.count -= count;
      }
      uint32_t out = 0;
      for (uint32_t i = 0; i < len;) {
        if (i + 1 < len && s[i] == left && s[i + 1] == right) {
          s[out++] = new_id;
          i += 2;
        } else {
          s[out++] = s[i++];
        }
      }
      word_len[w] = out;
      for (uint32_t i = 0; i + 1 < out; ++i) {
        const PairKey key = pair_key(s[i], s[i + 1]);
        PairStats& stats = pairs[key];
        stats.count += count;
        if (s[i] == new_id || s[i + 1] == new_id) {
          // Only pairs with the new token can gain; every other pair was
          // already in this word, and so already indexed.
          if (stats.words.empty() || stats.words.back() != w) stats.words.push_back(w);
          new_pairs.push_back(key);
        }
      }
    }
    std::sort(new_pairs.begin(), new_pairs.end());
    new_pairs.erase(std::unique(new_pairs.begin(), new_pairs.end()), new_pairs.end());
    for (const PairKey key : new_pairs) {
      const int64_t count = pairs[key].count;
      if (count > 0) heap.push({count, key});
    }
  }
  return Vocab(std::move(tokens));
}

}  // namespace greenbench
