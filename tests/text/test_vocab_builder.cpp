// Vocabulary training: layout, the merge order on a worked example,
// determinism, coverage of the training words, and the [UNK] rate on SST-2.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "greenbench/error.h"
#include "text/basic_tokenizer.h"
#include "text/vocab_builder.h"
#include "text/wordpiece.h"
#include "text_data.h"

using greenbench::BasicTokenizer;
using greenbench::BertTokenizer;
using greenbench::build_wordpiece_vocab;
using greenbench::Vocab;
using greenbench::VocabBuildOptions;
using Tokens = std::vector<std::string>;

namespace {

std::vector<std::string> repeat(const std::vector<std::pair<std::string, int>>& words) {
  std::vector<std::string> texts;
  for (const auto& [word, n] : words) {
    for (int i = 0; i < n; ++i) texts.push_back(word);
  }
  return texts;
}

// The Hugging Face course's BPE example: hug x10, pug x5, pun x12, bun x4, hugs x5.
const std::vector<std::pair<std::string, int>> kHugCorpus = {
    {"hug", 10}, {"pug", 5}, {"pun", 12}, {"bun", 4}, {"hugs", 5}};

size_t char_count(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

VocabBuildOptions options(size_t vocab_size, size_t min_frequency) {
  VocabBuildOptions o;
  o.vocab_size = vocab_size;
  o.min_frequency = min_frequency;
  return o;
}

}  // namespace

TEST_CASE("vocab builder: specials, then the alphabet, then merges in order", "[text][vocab_builder]") {
  const Vocab v = build_wordpiece_vocab(repeat(kHugCorpus), options(100, 2));
  const Tokens expected = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",                    //
                           "b", "g", "h", "n", "p", "s", "u",                               //
                           "##b", "##g", "##h", "##n", "##p", "##s", "##u",                 //
                           "##ug",   // (##u, ##g) 20
                           "##un",   // (##u, ##n) 16
                           "hug",    // (h, ##ug) 15
                           "pun",    // (p, ##un) 12
                           "pug",    // (p, ##ug) 5, ties with (hug, ##s) 5: smaller ids first
                           "hugs",   // (hug, ##s) 5
                           "bun"};   // (b, ##un) 4
  CHECK(v.tokens() == expected);
  CHECK(v.pad_id() == 0);
  CHECK(v.find(Vocab::kMask) == 4);
}

TEST_CASE("vocab builder: vocab_size and min_frequency bound the merges", "[text][vocab_builder]") {
  const Vocab small = build_wordpiece_vocab(repeat(kHugCorpus), options(21, 2));
  CHECK(small.size() == 21);
  CHECK(small.token(19) == "##ug");
  CHECK(small.token(20) == "##un");

  // min_frequency 5: "b" (4 times) is not in the alphabet, so "bun" does not vote and is not learned.
  const Vocab frequent = build_wordpiece_vocab(repeat(kHugCorpus), options(100, 5));
  CHECK(frequent.find("b") == -1);
  CHECK(frequent.find("##b") == -1);
  CHECK(frequent.find("bun") == -1);
  CHECK(frequent.find("hugs") >= 0);

  // Only the specials fit.
  const Vocab specials = build_wordpiece_vocab(repeat(kHugCorpus), options(5, 1));
  CHECK(specials.size() == 5);
  CHECK_THROWS_AS(build_wordpiece_vocab(repeat(kHugCorpus), options(4, 1)), greenbench::Error);

  // Too small for the whole alphabet: the most frequent characters are kept, as "c" and "##c".
  const Vocab few = build_wordpiece_vocab(repeat(kHugCorpus), options(9, 1));
  CHECK(few.tokens() == Tokens{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "g", "u", "##g", "##u"});

  // No pair is seen twice: nothing is merged.
  const Vocab none = build_wordpiece_vocab({"ab cd"}, options(100, 2));
  CHECK(none.size() == 5);
  const Vocab once = build_wordpiece_vocab({"ab cd"}, options(100, 1));
  CHECK(once.find("ab") >= 0);
  CHECK(once.find("cd") >= 0);
}

TEST_CASE("vocab builder: deterministic, whatever the order of the texts", "[text][vocab_builder]") {
  std::vector<std::string> texts = {
      "The quick brown fox jumps over the lazy dog.", "A lazy dog sleeps; the fox doesn't.",
      u8"Caf\u00E9s and cr\u00E8me br\u00FBl\u00E9e, \u535A\u7269\u9986!", "Foxes, dogs & cats: 3 of them.",
      "the the the fox fox dog", "jumping jumped jumps jumper"};
  const Vocab first = build_wordpiece_vocab(texts, options(200, 1));
  const Vocab again = build_wordpiece_vocab(texts, options(200, 1));
  CHECK(first.tokens() == again.tokens());
  std::mt19937 rng(7);
  for (int round = 0; round < 3; ++round) {
    std::shuffle(texts.begin(), texts.end(), rng);
    CHECK(build_wordpiece_vocab(texts, options(200, 1)).tokens() == first.tokens());
  }
}

TEST_CASE("vocab builder: words seen min_frequency times never become [UNK]", "[text][vocab_builder]") {
  const std::vector<std::string> texts = {
      "It was the best of times, it was the worst of times, it was the age of wisdom,",
      "it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity,",
      u8"\u00C9l\u00E8ve na\u00EFve: \u03B1\u03B2\u03B3 \u03B1\u03B2\u03B3! \u535A\u535A \u00DF\u00DF",
      "Zebra zebra QUIZ quiz q x x"};
  const BasicTokenizer basic;
  std::map<std::string, int> counts;
  for (const auto& t : texts) {
    for (const auto& w : basic.tokenize(t)) ++counts[w];
  }
  const Vocab full = build_wordpiece_vocab(texts, options(1000, 2));
  size_t alphabet = 0;  // "##c" tokens
  for (const auto& t : full.tokens()) alphabet += t.rfind("##", 0) == 0 && char_count(t) == 3;
  const size_t chars_only = 5 + 2 * alphabet;
  CHECK(full.size() > static_cast<int32_t>(chars_only));
  // From the alphabet alone (every word spelled in pieces) to every merge there is.
  for (size_t vocab_size : {chars_only, chars_only + 5, chars_only + 20, size_t{1000}}) {
    const Vocab vocab = build_wordpiece_vocab(texts, options(vocab_size, 2));
    CHECK(vocab.size() <= static_cast<int32_t>(vocab_size));
    const BertTokenizer tokenizer(vocab);
    for (const auto& [word, n] : counts) {
      if (n < 2) continue;
      const auto ids = tokenizer.encode_text(word);
      INFO("vocab_size " << vocab_size << ", word: " << word);
      CHECK(std::find(ids.begin(), ids.end(), vocab.unk_id()) == ids.end());
    }
  }
  const Vocab& vocab = full;
  const BertTokenizer tokenizer(vocab);
  CHECK(vocab.find("was") >= 0);  // six times: learned whole
  // A character seen fewer than min_frequency times is not in the alphabet, and its words are [UNK].
  CHECK(vocab.find("y") == -1);  // only in "incredulity"
  CHECK(vocab.find("##y") == -1);
  CHECK(tokenizer.encode_text("incredulity") == std::vector<int32_t>{vocab.unk_id()});
}

TEST_CASE("vocab builder: [UNK] rate on SST-2 dev below 2%", "[text][vocab_builder][data]") {
  const std::string data = greenbench_test::shared_data_dir();
  if (data.empty()) {
    WARN("shared data folder not found (GREENBENCH_SHARED_DATA); skipping the SST-2 vocabulary test");
    return;
  }
  const auto train = greenbench_test::read_tsv_first_column(data + "/sst2/train.tsv", 5000);
  const auto dev = greenbench_test::read_tsv_first_column(data + "/sst2/dev.tsv");
  REQUIRE(train.size() == 5000);
  REQUIRE(dev.size() > 800);
  const Vocab vocab = build_wordpiece_vocab(train, options(4000, 2));
  CHECK(vocab.size() <= 4000);
  CHECK(vocab.size() > 1000);
  const BertTokenizer tokenizer(vocab);
  size_t total = 0, unknown = 0;
  for (const auto& sentence : dev) {
    for (int32_t id : tokenizer.encode_text(sentence)) {
      ++total;
      unknown += id == vocab.unk_id();
    }
  }
  const double rate = static_cast<double>(unknown) / static_cast<double>(total);
  INFO("dev tokens " << total << ", [UNK] " << unknown << " (" << 100.0 * rate << "%)");
  CHECK(total > 10000);
  CHECK(rate < 0.02);
}
