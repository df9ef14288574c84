// Tokenizer throughput (basic tokenizer + WordPiece) over IMDB reviews from
// the shared data when present, else over generated text.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "text/vocab_builder.h"
#include "text/wordpiece.h"

namespace greenbench::microbench {
namespace {

// About 4 MB of text: the first lines of IMDB's train.csv, or generated words.
std::string sample_text() {
  const char* env = std::getenv("GREENBENCH_DATA");
  const std::string root = env ? env : GREENBENCH_MICROBENCH_DATA;
  std::ifstream in(root + "/imdb/train.csv", std::ios::binary);
  std::string text(4u << 20, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.gcount() > 0) {
    text.resize(static_cast<size_t>(in.gcount()));
    return text;
  }
  static const char* words[] = {"the", "movie", "was", "surprisingly", "good,", "but", "its", "ending",
                                "felt", "rushed", "and", "unconvincing.", "Actors'", "performances", "shine!"};
  std::mt19937 rng(7);
  std::ostringstream out;
  while (out.tellp() < static_cast<std::streamoff>(4u << 20)) out << words[rng() % 15] << ' ';
  return out.str();
}

void BM_Tokenize(benchmark::State& state) {
  static const std::string text = sample_text();
  static const BertTokenizer tokenizer = [] {
    VocabBuildOptions options;
    options.vocab_size = 8000;
    return BertTokenizer(build_wordpiece_vocab({text.substr(0, 1u << 20)}, options));
  }();
  size_t ids = 0;
  for (auto _ : state) ids += tokenizer.encode_text(text).size();
  benchmark::DoNotOptimize(ids);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace greenbench::microbench
