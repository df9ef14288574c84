// WordPiece and BertTokenizer: Hugging Face's test vocabulary and cases, the
// [CLS] a [SEP] b [SEP] layout and longest-first pair truncation.
#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "greenbench/error.h"
#include "text/wordpiece.h"

using greenbench::BertTokenizer;
using greenbench::Encoding;
using greenbench::Vocab;
using greenbench::WordPiece;
using Ids = std::vector<int32_t>;
using Tokens = std::vector<std::string>;

namespace {

// tests/models/bert/test_tokenization_bert.py's vocabulary.
Vocab hf_vocab() {
  return Vocab({"[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "want", "##want", "##ed", "wa", "un", "runn", "##ing", ",",
                "low", "lowest"});
}

// HF's WordpieceTokenizer.tokenize: whitespace split, then WordPiece per word.
Tokens wordpiece(const Vocab& vocab, const std::string& text, int max_chars = 100) {
  WordPiece wp(vocab, max_chars);
  Ids ids;
  std::istringstream in(text);
  std::string word;
  while (in >> word) wp.encode_word(word, ids);
  Tokens tokens;
  for (int32_t id : ids) tokens.push_back(vocab.token(id));
  return tokens;
}

Tokens to_tokens(const Vocab& vocab, const Ids& ids) {
  Tokens tokens;
  for (int32_t id : ids) tokens.push_back(vocab.token(id));
  return tokens;
}

}  // namespace

TEST_CASE("wordpiece: Hugging Face's own cases", "[text][wordpiece]") {
  const Vocab vocab = hf_vocab();
  CHECK(wordpiece(vocab, "").empty());
  CHECK(wordpiece(vocab, "unwanted running") == Tokens{"un", "##want", "##ed", "runn", "##ing"});
  CHECK(wordpiece(vocab, "unwantedX running") == Tokens{"[UNK]", "runn", "##ing"});

  BertTokenizer tokenizer(hf_vocab());
  CHECK(tokenizer.encode_text(u8"UNwant\u00E9d,running") == Ids{9, 6, 7, 12, 10, 11});
}

TEST_CASE("wordpiece: greedy longest match first", "[text][wordpiece]") {
  const Vocab vocab = hf_vocab();
  CHECK(wordpiece(vocab, "lowest") == Tokens{"lowest"});
  CHECK(wordpiece(vocab, "low") == Tokens{"low"});
  CHECK(wordpiece(vocab, "lower") == Tokens{"[UNK]"});  // "##er" is missing: the whole word is [UNK]
  CHECK(wordpiece(vocab, "wawant") == Tokens{"wa", "##want"});
  CHECK(wordpiece(vocab, "want") == Tokens{"want"});    // not "wa" + ...
  CHECK(wordpiece(vocab, "ed") == Tokens{"[UNK]"});     // "##ed" only continues a word
  CHECK(wordpiece(vocab, "wanted") == Tokens{"want", "##ed"});
}

TEST_CASE("wordpiece: characters are never split and max_chars counts characters", "[text][wordpiece]") {
  const Vocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", u8"\u65E5", u8"##\u672C", u8"\u65E5\u672C\u8A9E", "a", "##a",
                     u8"\u00E9", u8"##\u00E9"});
  CHECK(wordpiece(vocab, u8"\u65E5\u672C") == Tokens{u8"\u65E5", u8"##\u672C"});
  CHECK(wordpiece(vocab, u8"\u65E5\u672C\u8A9E") == Tokens{u8"\u65E5\u672C\u8A9E"});
  CHECK(wordpiece(vocab, u8"\u65E5\u672C\u4EBA") == Tokens{"[UNK]"});
  CHECK(wordpiece(vocab, u8"a\u00E9a") == Tokens{"a", u8"##\u00E9", "##a"});

  std::string hundred_e;
  for (int i = 0; i < 100; ++i) hundred_e += u8"\u00E9";  // 100 characters, 200 bytes
  CHECK(wordpiece(vocab, hundred_e).size() == 100);
  CHECK(wordpiece(vocab, hundred_e + u8"\u00E9") == Tokens{"[UNK]"});
  CHECK(wordpiece(vocab, "aaaa", 3) == Tokens{"[UNK]"});
  CHECK(wordpiece(vocab, "aaa", 3) == Tokens{"a", "##a", "##a"});
}

TEST_CASE("wordpiece: a word spelled like a continuation token", "[text][wordpiece]") {
  // HF looks the first piece up as written, so "##ed" as a whole word matches the token "##ed".
  const Vocab vocab = hf_vocab();
  CHECK(wordpiece(vocab, "##ed") == Tokens{"##ed"});
}

namespace {

// One token per letter, so that texts of known lengths are easy to write.
Vocab letter_vocab() {
  std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (char c = 'a'; c <= 'z'; ++c) tokens.emplace_back(1, c);
  return Vocab(tokens);
}

Tokens layout(const Vocab& vocab, const Encoding& e) { return to_tokens(vocab, e.ids); }

}  // namespace

TEST_CASE("bert tokenizer: single text layout and truncation", "[text][wordpiece]") {
  const BertTokenizer tokenizer(letter_vocab());
  const Vocab& v = tokenizer.vocab();
  Encoding e = tokenizer.encode("a b c", "", 128);
  CHECK(layout(v, e) == Tokens{"[CLS]", "a", "b", "c", "[SEP]"});
  CHECK(e.type_ids == Ids{0, 0, 0, 0, 0});

  e = tokenizer.encode("a b c d e f", "", 4);
  CHECK(layout(v, e) == Tokens{"[CLS]", "a", "b", "[SEP]"});
  CHECK(e.type_ids.size() == e.ids.size());

  e = tokenizer.encode("", "", 2);
  CHECK(layout(v, e) == Tokens{"[CLS]", "[SEP]"});
  CHECK_THROWS_AS(tokenizer.encode("a", "", 1), greenbench::Error);
  CHECK_THROWS_AS(tokenizer.encode("a", "b", 2), greenbench::Error);
}

TEST_CASE("bert tokenizer: pair layout and longest-first truncation", "[text][wordpiece]") {
  const BertTokenizer tokenizer(letter_vocab());
  const Vocab& v = tokenizer.vocab();

  Encoding e = tokenizer.encode("a b", "x y z", 128);
  CHECK(layout(v, e) == Tokens{"[CLS]", "a", "b", "[SEP]", "x", "y", "z", "[SEP]"});
  CHECK(e.type_ids == Ids{0, 0, 0, 0, 1, 1, 1, 1});

  // 6 + 3 tokens into 7: the longer a loses two.
  e = tokenizer.encode("a b c d e f", "x y z", 10);
  CHECK(layout(v, e) == Tokens{"[CLS]", "a", "b", "c", "d", "[SEP]", "x", "y", "z", "[SEP]"});

  // 6 + 3 into 5: a shrinks to 3, then the tie takes one from b (HF: a=3, b=2).
  e = tokenizer.encode("a b c d e f", "x y z", 8);
  CHECK(layout(v, e) == Tokens{"[CLS]", "a", "b", "c", "[SEP]", "x", "y", "[SEP]"});
  CHECK(e.type_ids == Ids{0, 0, 0, 0, 0, 1, 1, 1});

  // Equal lengths 4 + 4 into 5: b, a, b.
  e = tokenizer.encode("a b c d", "w x y z", 8);
  CHECK(layout(v, e) == Tokens{"[CLS]", "a", "b", "c", "[SEP]", "w", "x", "[SEP]"});

  // The longer second text is cut first.
  e = tokenizer.encode("a", "p q r s t u v", 7);
  CHECK(layout(v, e) == Tokens{"[CLS]", "a", "[SEP]", "p", "q", "r", "[SEP]"});

  // Everything can go: only the special tokens are left.
  e = tokenizer.encode("a b", "c d", 3);
  CHECK(layout(v, e) == Tokens{"[CLS]", "[SEP]", "[SEP]"});
  CHECK(e.type_ids == Ids{0, 0, 1});

  // A second text that tokenizes to nothing still makes a pair.
  e = tokenizer.encode("a", "\x01", 16);
  CHECK(layout(v, e) == Tokens{"[CLS]", "a", "[SEP]", "[SEP]"});
}

TEST_CASE("bert tokenizer: copies and moves outlive the original", "[text][wordpiece]") {
  auto original = std::make_unique<BertTokenizer>(hf_vocab());
  BertTokenizer copy = *original;
  BertTokenizer moved = std::move(*original);
  original.reset();
  CHECK(copy.encode_text("unwanted running") == Ids{9, 6, 7, 10, 11});
  CHECK(moved.encode_text("unwanted running") == Ids{9, 6, 7, 10, 11});
  CHECK(copy.encode("lowest", "", 8).ids == Ids{1, 14, 2});
}
