// Vocab: save/load round trip and the errors a malformed vocab.txt gives.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "greenbench/error.h"
#include "text/vocab.h"

namespace fs = std::filesystem;
using greenbench::Vocab;

namespace {

// A fresh directory under the system temp dir, removed with the object.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("greenbench_test_text_" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& content) const {
    const std::string file = (path / name).string();
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }
};

}  // namespace

TEST_CASE("vocab: save and load round trip", "[text][vocab]") {
  TempDir dir;
  const Vocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "##s", u8"caf\u00E9", u8"\u535A", "##ing"});
  const std::string file = (dir.path / "vocab.txt").string();
  vocab.save(file);
  const Vocab loaded = Vocab::load(file);
  CHECK(loaded.tokens() == vocab.tokens());
  CHECK(loaded.sha256() == vocab.sha256());
  CHECK(loaded.pad_id() == 0);
  CHECK(loaded.unk_id() == 1);
  CHECK(loaded.cls_id() == 2);
  CHECK(loaded.sep_id() == 3);
  CHECK(loaded.find(u8"caf\u00E9") == 7);
  CHECK(loaded.find("missing") == -1);
  CHECK(vocab.sha256().size() == 64);
}

TEST_CASE("vocab: Windows line endings load", "[text][vocab]") {
  TempDir dir;
  const std::string file = dir.write("vocab.txt", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nword\r\n");
  const Vocab v = Vocab::load(file);
  CHECK(v.size() == 5);
  CHECK(v.find("word") == 4);
}

TEST_CASE("vocab: an empty line is a DataFormatError naming file and line", "[text][vocab]") {
  TempDir dir;
  const std::string file = dir.write("vocab.txt", "[PAD]\n[UNK]\n\n[CLS]\n[SEP]\n");
  try {
    Vocab::load(file);
    FAIL("no error for an empty line");
  } catch (const greenbench::DataFormatError& e) {
    CHECK(e.file() == file);
    CHECK(e.line() == 3);
    CHECK_THAT(e.what(), Catch::Contains(file + ":3"));
  }
}

TEST_CASE("vocab: missing special tokens and duplicates are errors", "[text][vocab]") {
  TempDir dir;
  const std::string no_sep = dir.write("no_sep.txt", "[PAD]\n[UNK]\n[CLS]\nword\n");
  CHECK_THROWS_WITH(Vocab::load(no_sep), Catch::Contains("[SEP]") && Catch::Contains(no_sep));
  const std::string dup = dir.write("dup.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nword\nword\n");
  CHECK_THROWS_WITH(Vocab::load(dup), Catch::Contains("word") && Catch::Contains("twice"));
  CHECK_THROWS_AS(Vocab({"[PAD]", "[CLS]", "[SEP]"}), greenbench::Error);
  const std::string empty = dir.write("empty.txt", "");
  CHECK_THROWS_AS(Vocab::load(empty), greenbench::Error);
}

TEST_CASE("vocab: a missing file is a DataMissingError", "[text][vocab]") {
  TempDir dir;
  CHECK_THROWS_AS(Vocab::load((dir.path / "nope.txt").string()), greenbench::DataMissingError);
}
