// SHA256SUMS of a checkpoint folder: every file under it (sub-folders too)
// listed in sha256sum's format, and each way a folder can disagree with it
// (a file changed, missing or added, the manifest itself missing or damaged)
// refused naming the file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "greenbench/error.h"
#include "model/checkpoint_manifest.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

using namespace greenbench;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

struct SavedFolder {
  testing::TempDir dir{"manifest"};
  SavedFolder() {
    testing::write_file(dir / "run.json", "{}\n");
    testing::write_file(dir / "vocab.txt", "[PAD]\n[UNK]\nfilm\n");
    testing::write_file(dir / "point-0/model.safetensors", "weights");
    write_checkpoint_manifest(dir.path());
  }
  std::string refusal() {
    try {
      verify_checkpoint_manifest(dir.path());
    } catch (const Error& e) {
      return e.what();
    }
    FAIL("verify_checkpoint_manifest accepted the folder");
    return "";
  }
};

}  // namespace

TEST_CASE("SHA256SUMS lists every file of the folder in sha256sum's format", "[checkpoint][manifest]") {
  SavedFolder f;
  CHECK(read_file(f.dir / "SHA256SUMS") == sha256_file(f.dir / "point-0/model.safetensors") +
                                                "  point-0/model.safetensors\n" + sha256_file(f.dir / "run.json") +
                                                "  run.json\n" + sha256_file(f.dir / "vocab.txt") + "  vocab.txt\n");
  CHECK_NOTHROW(verify_checkpoint_manifest(f.dir.path()));
  // A killed writer's temp file is neither listed nor refused.
  testing::write_file(f.dir / "run.json.tmp.4242", "half");
  CHECK_NOTHROW(verify_checkpoint_manifest(f.dir.path()));
}

TEST_CASE("a checkpoint folder that disagrees with its SHA256SUMS is refused naming the file", "[checkpoint][manifest]") {
  SavedFolder f;
  SECTION("a file changed") {
    testing::write_file(f.dir / "vocab.txt", "[PAD]\nfilm\n[UNK]\n");
    CHECK_THAT(f.refusal(), Contains(f.dir / "vocab.txt has sha256") && Contains("SHA256SUMS records"));
  }
  SECTION("a file in a sub-folder missing") {
    fs::remove(f.dir / "point-0/model.safetensors");
    CHECK_THAT(f.refusal(), Contains(f.dir / "point-0/model.safetensors: missing"));
  }
  SECTION("a file added") {
    testing::write_file(f.dir / "student-k9/config.json", "{}");
    CHECK_THAT(f.refusal(), Contains(f.dir / "student-k9/config.json: not listed in"));
  }
  SECTION("the manifest missing") {
    fs::remove(f.dir / "SHA256SUMS");
    CHECK_THAT(f.refusal(), Contains(f.dir / "SHA256SUMS: no such file") && Contains("train it again"));
  }
  SECTION("the manifest damaged") {
    testing::write_file(f.dir / "SHA256SUMS", read_file(f.dir / "SHA256SUMS") + "not a line\n");
    CHECK_THAT(f.refusal(), Contains(f.dir / "SHA256SUMS:4: a sha256sum line"));
  }
  SECTION("the manifest naming a file outside the folder") {
    testing::write_file(f.dir / "SHA256SUMS", std::string(64, 'a') + "  ../elsewhere\n");
    CHECK_THAT(f.refusal(), Contains("a file inside the checkpoint folder, found ../elsewhere"));
  }
}

TEST_CASE("a checkpoint is written only into a new, empty or earlier checkpoint folder", "[checkpoint][manifest]") {
  testing::TempDir dir{"manifest-folder"};
  CHECK_NOTHROW(check_checkpoint_folder(dir / "new"));
  fs::create_directories(dir / "empty");
  CHECK_NOTHROW(check_checkpoint_folder(dir / "empty"));
  SavedFolder earlier;
  CHECK_NOTHROW(check_checkpoint_folder(earlier.dir.path()));
  testing::write_file(dir / "home/notes.txt", "keep me");
  CHECK_THROWS_WITH(check_checkpoint_folder(dir / "home"), Contains("home") && Contains("not empty"));
  CHECK_THROWS_WITH(check_checkpoint_folder(dir / "home/notes.txt"), Contains("not one"));
}

