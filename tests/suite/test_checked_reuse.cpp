// Checked reuse, end to end through run_suite on a tiny SST-2 fixture: a
// resumed suite reuses a record only when it validates and is the record of
// that very run; a truncated or edited one is moved aside (no longer a *.json
// that readers pick up) and the run redone. A checkpoint is refused on load
// when any of its files changed (its vocabulary too) and moved aside on
// resume. And an empty test role is never evaluated into a record.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "measure/blas_info.h"
#include "run/runner.h"
#include "run/suite.h"
#include "run/suite_runner.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/progress.h"

using namespace greenbench;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A one-method suite on a folder of SST-2 data (each label carried by one
// word), with the smallest model and roles: one run takes a second or two.
struct TinySuite {
  testing::TempDir dir{"checked-reuse"};
  Suite suite;
  RunSettings base;
  SuiteRunOptions options;
  std::string record;  // the path of the one run's record

  TinySuite() {
    torch::set_num_threads(1);
    set_blas_threads(1);
    ProgressBar::set_enabled(false);
    REQUIRE(method_registry().origin("standard").empty());  // built in, as the suite below needs
    for (const auto& [split, rows] : {std::pair<std::string, int>{"train", 60}, {"dev", 20}}) {
      std::string tsv = "sentence\tlabel\n";
      for (int i = 0; i < rows; ++i)
        tsv += std::string(i % 2 ? "a good film " : "a bad film ") + std::to_string(i) + "\t" + std::to_string(i % 2) + "\n";
      testing::write_file(dir / ("data/sst2/" + split + ".tsv"), tsv);
    }
    suite = parse_suite(json::parse(R"({
      "name": "tiny", "version": "1", "tasks": ["sst2"], "seeds": [13],
      "settings": {"size": "tiny", "layers": 1, "max_len": 16, "vocab_size": 100, "epochs": 1, "batch_size": 16,
                   "max_train": 40, "max_calibration": 10, "max_test": 10, "threads": 1, "latency_instances": 2},
      "methods": [{"method": "standard"}]})"),
                        "tiny.json");
    apply_suite_settings(suite.settings, base, suite.source);
    base.data_root = dir / "data";
    base.results_dir = dir / "results";
    base.cache_dir = dir / "cache";
    options.print_tables = false;
  }

  SuiteRunResult run() {
    SuiteRunResult r = run_suite(suite, base, options);
    REQUIRE(r.records.size() == 1);
    record = r.records[0]["path"].get<std::string>();
    return r;
  }

  // Files and folders under `folder` that were moved aside.
  std::vector<std::string> moved_aside(const std::string& folder) const {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(folder))
      if (e.path().filename().string().find(".invalid-") != std::string::npos) out.push_back(e.path().string());
    return out;
  }
};

void edit_record(const std::string& path, void (*edit)(json&)) {
  json r = json::parse(read_file(path));
  edit(r);
  write_file_atomic(path, r.dump(2) + "\n");
}

}  // namespace

TEST_CASE("a resumed suite reuses a valid record and redoes a truncated one, moving it aside", "[suite][reuse]") {
  TinySuite t;
  CHECK(t.run().ran == 1);
  const std::string first = t.record;
  SuiteRunResult again = t.run();
  CHECK(again.reused == 1);
  CHECK(again.ran == 0);
  CHECK(t.moved_aside(t.base.results_dir).empty());

  const std::string text = read_file(first);
  const std::string truncated = text.substr(0, text.size() / 2);
  testing::write_file(first, truncated);
  SuiteRunResult redone = t.run();
  CHECK(redone.ran == 1);
  CHECK(redone.reused == 0);
  CHECK(t.record == first);
  CHECK(json::parse(read_file(first))["run_id"] == json::parse(text)["run_id"]);
  const auto aside = t.moved_aside(t.base.results_dir);
  REQUIRE(aside.size() == 1);
  CHECK_THAT(aside[0], Contains(first + ".invalid-"));
  CHECK(fs::path(aside[0]).extension() != ".json");  // readers of *.json pass it by
  CHECK(read_file(aside[0]) == truncated);             // kept byte for byte
}

TEST_CASE("an edited record that is well-formed JSON is checked before reuse, not taken as is", "[suite][reuse]") {
  TinySuite t;
  t.run();
  SECTION("metrics that differ from their operating point") {
    edit_record(t.record, [](json& r) { r["metrics"]["accuracy"] = 0.999; });
  }
  SECTION("the record of another seed at this run's path") {
    edit_record(t.record, [](json& r) { r["reproducibility"]["seed"] = 14; });
  }
  SECTION("a record evaluated on other test data") {
    edit_record(t.record, [](json& r) { r["task"]["roles"]["test"]["sha256"] = std::string(64, 'a'); });
  }
  SECTION("a record missing a required key") {
    edit_record(t.record, [](json& r) { r.erase("metrics"); });
  }
  SuiteRunResult r = t.run();
  CHECK(r.ran == 1);
  CHECK(r.reused == 0);
  CHECK(t.moved_aside(t.base.results_dir).size() == 1);
  // The redone record is the run's own again, and is reused from then on.
  CHECK(t.run().reused == 1);
}

TEST_CASE("a checkpoint whose vocabulary or settings changed is refused naming the file", "[suite][reuse][checkpoint]") {
  TinySuite t;
  t.options.checkpoint_dir = t.dir / "checkpoints";
  t.run();
  const std::string checkpoint = t.options.checkpoint_dir + "/sst2/standard-" +
                                 json::parse(read_file(t.record))["method"]["config_hash"].get<std::string>();
  REQUIRE(fs::exists(checkpoint + "/SHA256SUMS"));
  CHECK_NOTHROW(load_trained(checkpoint));

  std::string changed;
  SECTION("vocab.txt: two pieces swapped, still a well-formed vocabulary") {
    changed = checkpoint + "/vocab.txt";
    std::vector<std::string> pieces;
    std::istringstream in(read_file(changed));
    for (std::string piece; std::getline(in, piece);) pieces.push_back(piece);
    REQUIRE(pieces.size() > 2);
    std::swap(pieces[pieces.size() - 1], pieces[pieces.size() - 2]);
    std::string vocab;
    for (const auto& piece : pieces) vocab += piece + "\n";
    testing::write_file(changed, vocab);
  }
  SECTION("run.json") {
    changed = checkpoint + "/run.json";
    edit_record(changed, [](json& r) { r["settings"]["max_len"] = 17; });
  }
  for (const auto& load : {+[](const std::string& d) { load_trained(d); },
                           +[](const std::string& d) { checkpoint_run_settings(d, RunSettings{}); }}) {
    try {
      load(checkpoint);
      FAIL("the changed checkpoint was loaded");
    } catch (const Error& e) {
      CHECK_THAT(e.what(), Contains(changed + " has sha256") && Contains("SHA256SUMS records"));
    }
  }

  // Resuming: the record still stands, the checkpoint is moved aside.
  SuiteRunResult r = t.run();
  CHECK(r.reused == 1);
  CHECK(!fs::exists(checkpoint));
  const auto aside = t.moved_aside(t.options.checkpoint_dir);
  REQUIRE(aside.size() == 1);
  CHECK_THAT(aside[0], Contains(checkpoint + ".invalid-"));
}

TEST_CASE("a checkpoint without SHA256SUMS cannot be verified and is refused", "[suite][reuse][checkpoint]") {
  TinySuite t;
  t.options.checkpoint_dir = t.dir / "checkpoints";
  t.run();
  const std::string checkpoint = t.options.checkpoint_dir + "/sst2/standard-" +
                                 json::parse(read_file(t.record))["method"]["config_hash"].get<std::string>();
  fs::remove(checkpoint + "/SHA256SUMS");
  CHECK_THROWS_WITH(load_trained(checkpoint), Contains(checkpoint + "/SHA256SUMS: no such file"));
}

TEST_CASE("evaluating on an empty test role throws and writes no record", "[suite][reuse]") {
  testing::TempDir dir("empty-test");
  PreparedTask prepared;
  prepared.task = make_task("sst2");
  prepared.data.test.files = {dir / "sst2/dev.tsv"};
  TrainedMethod trained;
  trained.name = "standard";
  RunSettings s;
  s.results_dir = dir / "results";
  CHECK_THROWS_WITH(evaluate_method(prepared, trained, s),
                    Contains(dir / "sst2/dev.tsv") && Contains("holds no examples"));
  CHECK(!fs::exists(s.results_dir));
}
