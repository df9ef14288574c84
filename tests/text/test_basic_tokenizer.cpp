// BasicTokenizer: expected tokens are what Hugging Face's BasicTokenizer
// (do_lower_case=True) returns; the first cases are from its own test suite
// (tests/models/bert/test_tokenization_bert.py).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "text/basic_tokenizer.h"

using greenbench::BasicTokenizer;
using Tokens = std::vector<std::string>;

namespace {
Tokens lower(const std::string& text) { return BasicTokenizer(true).tokenize(text); }
Tokens cased(const std::string& text) { return BasicTokenizer(false).tokenize(text); }
}  // namespace

TEST_CASE("basic tokenizer: Hugging Face's own cases", "[text][basic]") {
  CHECK(lower(" \tHeLLo!how  \n Are yoU?  ") == Tokens{"hello", "!", "how", "are", "you", "?"});
  CHECK(lower(u8"H\u00E9llo") == Tokens{"hello"});
  CHECK(lower(u8" \tH\u00E4LLo!how  \n Are yoU?  ") == Tokens{"hallo", "!", "how", "are", "you", "?"});
  CHECK(lower(u8"ah\u535A\u63A8zz") == Tokens{"ah", u8"\u535A", u8"\u63A8", "zz"});
  CHECK(lower("a\n'll !!to?'d of, can't.") ==
        Tokens{"a", "'", "ll", "!", "!", "to", "?", "'", "d", "of", ",", "can", "'", "t", "."});
  CHECK(lower(u8"\u200E\u200F").empty());  // bidi marks are Cf
  CHECK(lower(u8"\u00AD").empty());         // soft hyphen is Cf
  CHECK(lower(u8"UNwant\u00E9d,running") == Tokens{"unwanted", ",", "running"});
  CHECK(lower(u8"A, na\u00EFve [MASK] AllenNLP sentence.") ==
        Tokens{"a", ",", "naive", "[", "mask", "]", "allennlp", "sentence", "."});
}

TEST_CASE("basic tokenizer: without lower-casing nothing is folded or stripped", "[text][basic]") {
  CHECK(cased(" \tHeLLo!how  \n Are yoU?  ") == Tokens{"HeLLo", "!", "how", "Are", "yoU", "?"});
  CHECK(cased(u8" \tH\u00E4LLo!how  \n Are yoU?  ") == Tokens{u8"H\u00E4LLo", "!", "how", "Are", "yoU", "?"});
  // NFC still applies: e + combining acute composes to one character.
  CHECK(cased(u8"Cafe\u0301") == Tokens{u8"Caf\u00E9"});
}

TEST_CASE("basic tokenizer: empty and blank input", "[text][basic]") {
  CHECK(lower("").empty());
  CHECK(lower("   \t\r\n ").empty());
  CHECK(lower("a") == Tokens{"a"});
  CHECK(lower("!") == Tokens{"!"});
}

TEST_CASE("basic tokenizer: every ASCII symbol is punctuation", "[text][basic]") {
  // $ + < = > ^ ` | ~ are symbols (S*) in Unicode, punctuation for BERT.
  CHECK(lower("a$b+c<d=e>f^g`h|i~j") ==
        Tokens{"a", "$", "b", "+", "c", "<", "d", "=", "e", ">", "f", "^", "g", "`", "h", "|", "i", "~", "j"});
  CHECK(lower("<br /><br />It's 10/10") ==
        Tokens{"<", "br", "/", ">", "<", "br", "/", ">", "it", "'", "s", "10", "/", "10"});
  CHECK(lower("x_y") == Tokens{"x", "_", "y"});
}

TEST_CASE("basic tokenizer: accents and combining marks", "[text][basic]") {
  CHECK(lower(u8"\u00C9COLE") == Tokens{"ecole"});
  CHECK(lower(u8"cre\u0300me bru\u0302le\u0301e") == Tokens{"creme", "brulee"});  // decomposed input
  CHECK(lower(u8"cr\u00E8me br\u00FBl\u00E9e") == Tokens{"creme", "brulee"});    // precomposed input
  CHECK(lower(u8"\u0301").empty());                        // a lone mark strips to nothing
  CHECK(lower(u8"a \u0301 b") == Tokens{"a", "b"});
  CHECK(lower(u8"\u00C5ngstr\u00F6m") == Tokens{"angstrom"});
  CHECK(lower(u8"\u0130stanbul") == Tokens{"istanbul"});  // I with dot: i + U+0307, mark dropped
  CHECK(lower(u8"Stra\u00DFe") == Tokens{u8"stra\u00DFe"});  // lower-casing keeps sharp s
  CHECK(lower(u8"\u00E6\u00F8") == Tokens{u8"\u00E6\u00F8"});  // no decomposition, kept
}

TEST_CASE("basic tokenizer: non-Latin upper case", "[text][basic]") {
  CHECK(lower(u8"\u041F\u0420\u0418\u0412\u0415\u0422") == Tokens{u8"\u043F\u0440\u0438\u0432\u0435\u0442"});
  // Cyrillic short i decomposes to i + breve, and the breve is stripped, as in HF.
  CHECK(lower(u8"\u0419\u041E\u0414") == Tokens{u8"\u0438\u043E\u0434"});
  // Greek: final sigma at the end of the word, accents (tonos) stripped.
  CHECK(lower(u8"\u039F\u0394\u039F\u03A3") == Tokens{u8"\u03BF\u03B4\u03BF\u03C2"});
  CHECK(lower(u8"\u0386\u03A3\u03A3\u039F\u03A3") == Tokens{u8"\u03B1\u03C3\u03C3\u03BF\u03C2"});
  // Final sigma is decided on the whole whitespace token, before the split on '.'.
  CHECK(lower(u8"A\u03A3.") == Tokens{u8"a\u03C2", "."});
  CHECK(lower(u8"\u03A3") == Tokens{u8"\u03C3"});
  // Full-width letters lower-case to full-width letters (no compatibility folding).
  CHECK(lower(u8"\uFF21\uFF22\uFF23") == Tokens{u8"\uFF41\uFF42\uFF43"});
}

TEST_CASE("basic tokenizer: CJK ideographs stand alone, kana and hangul do not", "[text][basic]") {
  CHECK(lower(u8"\u6211\u7231NLP") == Tokens{u8"\u6211", u8"\u7231", "nlp"});
  CHECK(lower(u8"\u3053\u3093\u306B\u3061\u306F") == Tokens{u8"\u3053\u3093\u306B\u3061\u306F"});  // hiragana
  // Hangul syllables come out decomposed into jamo: NFD without recomposition, as in HF.
  CHECK(lower(u8"\uD55C\uAD6D\uC5B4") == Tokens{u8"\u1112\u1161\u11AB\u1100\u116E\u11A8\u110B\u1165"});
  CHECK(lower(u8"\U00020000x") == Tokens{u8"\U00020000", "x"});  // extension B
  // Full-width punctuation is Unicode punctuation.
  CHECK(lower(u8"\u4F60\u597D\uFF01\u3002") == Tokens{u8"\u4F60", u8"\u597D", u8"\uFF01", u8"\u3002"});
  CHECK(lower(u8"\uFF08ok\uFF09") == Tokens{u8"\uFF08", "ok", u8"\uFF09"});
}

TEST_CASE("basic tokenizer: unicode punctuation splits, symbols do not", "[text][basic]") {
  CHECK(lower(u8"\u201CHello\u201D \u2014 world\u2026") ==
        Tokens{u8"\u201C", "hello", u8"\u201D", u8"\u2014", "world", u8"\u2026"});
  CHECK(lower(u8"\u00BFQu\u00E9?") == Tokens{u8"\u00BF", "que", "?"});
  CHECK(lower(u8"5\u20AC") == Tokens{u8"5\u20AC"});  // currency sign is Sc, not punctuation
  CHECK(lower(u8"a\u00B0b") == Tokens{u8"a\u00B0b"});  // degree sign is So
}

TEST_CASE("basic tokenizer: emoji", "[text][basic]") {
  CHECK(lower(u8"hi\U0001F600!") == Tokens{u8"hi\U0001F600", "!"});
  // The variation selector after the heart is Mn and is stripped.
  CHECK(lower(u8"I \u2764\uFE0F NLP") == Tokens{"i", u8"\u2764", "nlp"});
  // Zero-width joiners are Cf and removed, so a ZWJ sequence glues together.
  CHECK(lower(u8"\U0001F468\u200D\U0001F469") == Tokens{u8"\U0001F468\U0001F469"});
}

TEST_CASE("basic tokenizer: control, format and zero-width characters", "[text][basic]") {
  CHECK(lower(std::string("a\x05" "b")) == Tokens{"ab"});        // Cc removed, does not split
  CHECK(lower(std::string("a\0b", 3)) == Tokens{"ab"});           // NUL removed
  CHECK(lower(std::string("a\x7f" "b\x1b" "c")) == Tokens{"abc"});  // DEL, ESC
  CHECK(lower(std::string("a\x0b" "b\x0c" "c")) == Tokens{"abc"});  // VT and FF are Cc first
  CHECK(lower(u8"foo\u200Bbar") == Tokens{"foobar"});            // zero-width space is Cf
  CHECK(lower(u8"\uFEFFbom") == Tokens{"bom"});                  // byte order mark
  CHECK(lower(u8"a\u0085b") == Tokens{"ab"});                    // NEL is Cc
  CHECK(lower(u8"a\uFFFDb") == Tokens{"ab"});                    // U+FFFD removed
}

TEST_CASE("basic tokenizer: unicode whitespace separates", "[text][basic]") {
  CHECK(lower(u8"a\u00A0b") == Tokens{"a", "b"});  // no-break space
  CHECK(lower(u8"a\u3000b") == Tokens{"a", "b"});  // ideographic space
  CHECK(lower(u8"a\u2009b\u202Fc") == Tokens{"a", "b", "c"});
  CHECK(lower(u8"a\u2028b\u2029c") == Tokens{"a", "b", "c"});  // Python's str.split splits here
  CHECK(lower("a\r\nb\tc") == Tokens{"a", "b", "c"});
}

TEST_CASE("basic tokenizer: invalid UTF-8 is dropped, never thrown on", "[text][basic]") {
  CHECK(lower(std::string("ab\xff" "cd")) == Tokens{"abcd"});
  CHECK(lower(std::string("ok \xe4\xb8")) == Tokens{"ok"});              // truncated sequence
  CHECK(lower(std::string("\xc0\xaf" "x")) == Tokens{"x"});              // overlong '/'
  CHECK(lower(std::string("\xed\xa0\x80" "y")) == Tokens{"y"});          // UTF-8 encoded surrogate
  CHECK(lower(std::string("\xf4\x90\x80\x80" "z")) == Tokens{"z"});      // above U+10FFFF
  CHECK(lower(std::string("\x80\x80 A\xC3")) == Tokens{"a"});
  CHECK(lower(std::string("Caf\xC3\xA9\xff!")) == Tokens{"cafe", "!"});
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise.push_back(static_cast<char>((i * 7919) & 0xFF));
  CHECK_NOTHROW(lower(noise));
}

TEST_CASE("basic tokenizer: tokenize_each gives the same tokens", "[text][basic]") {
  const std::string text = u8"Don't  panic\u2014 \u00C9COLE \u535A!\x05x";
  BasicTokenizer t;
  Tokens streamed;
  t.tokenize_each(text, [&](std::string_view token) { streamed.emplace_back(token); });
  CHECK(streamed == t.tokenize(text));
  CHECK(streamed == Tokens{"don", "'", "t", "panic", u8"\u2014", "ecole", u8"\u535A", "!", "x"});
}
