// Timings of the tokenizer and of vocabulary training on IMDB train (30 MB),
// hidden from normal runs: build test_text, then run `test_text "[bench]"`.
// They report numbers and assert nothing about time.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "text/basic_tokenizer.h"
#include "text/vocab_builder.h"
#include "text/wordpiece.h"
#include "text_data.h"

namespace {

// CPU seconds of this (single-threaded) process: the machine is shared, so
// wall time would count other people's compilers.
struct Timer {
  std::clock_t cpu = std::clock();
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu_s() const { return static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC; }
  double wall_s() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(); }
};

std::vector<std::string> imdb_train() {
  const std::string data = greenbench_test::shared_data_dir();
  if (data.empty()) return {};
  return greenbench_test::read_csv_first_column(data + "/imdb/train.csv");
}

}  // namespace

TEST_CASE("bench: tokenizer and vocabulary training on IMDB train", "[.bench]") {
  const auto texts = imdb_train();
  if (texts.empty()) {
    WARN("shared data folder not found; nothing to time");
    return;
  }
  size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();
  const double mb = static_cast<double>(bytes) / 1e6;
  std::printf("IMDB train: %zu reviews, %.1f MB\n", texts.size(), mb);

  const greenbench::BasicTokenizer basic;
  size_t tokens = 0;
  Timer timer;
  for (const auto& t : texts) basic.tokenize_each(t, [&](std::string_view) { ++tokens; });
  double s = timer.cpu_s();
  std::printf("basic tokenizer (tokenize_each): %zu tokens in %.3f s CPU (%.3f s wall) = %.1f MB/s\n", tokens, s,
              timer.wall_s(), mb / s);

  timer = Timer();
  size_t vector_tokens = 0;
  for (const auto& t : texts) vector_tokens += basic.tokenize(t).size();
  s = timer.cpu_s();
  std::printf("basic tokenizer (tokenize, vector<string>): %.3f s CPU = %.1f MB/s\n", s, mb / s);
  CHECK(vector_tokens == tokens);

  greenbench::VocabBuildOptions options;
  options.vocab_size = 16000;
  timer = Timer();
  const greenbench::Vocab vocab = greenbench::build_wordpiece_vocab(texts, options);
  s = timer.cpu_s();
  std::printf("build_wordpiece_vocab(16000): %d tokens in %.3f s CPU (%.3f s wall)\n", vocab.size(), s,
              timer.wall_s());

  const greenbench::BertTokenizer tokenizer(vocab);
  size_t ids = 0, unk = 0;
  timer = Timer();
  for (const auto& t : texts) {
    for (int32_t id : tokenizer.encode_text(t)) {
      ++ids;
      unk += id == vocab.unk_id();
    }
  }
  s = timer.cpu_s();
  std::printf("BertTokenizer::encode_text: %zu ids in %.3f s CPU = %.1f MB/s, [UNK] %.4f%%\n", ids, s, mb / s,
              100.0 * static_cast<double>(unk) / static_cast<double>(ids));
}
