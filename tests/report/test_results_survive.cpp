// A results folder survives every command pointed at it or at its parent:
// each command of the greenbench binary that writes a folder or file given
// by a flag (site build --out, bench --site, report --svg, merge --out,
// sweep --emit --out, serve --site) runs with that output at the results
// folder and at the folder above it, and every record is still there byte
// for byte after it. Commands that must refuse say so and exit non-zero.
// Not here: train --out and bench/sweep --checkpoints (they train first; a
// checkpoint folder is written beside, never over, what is there) and data
// fetch --data (it downloads).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

using namespace greenbench::testing;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

const std::string kBinary = std::string(GREENBENCH_BINARY_DIR) + "/greenbench";
const std::string kReference = std::string(GREENBENCH_SOURCE_DIR) + "/results/reference/quick";

struct Case {
  TempDir dir{"survive"};
  std::string parent = dir / "parent";
  std::string results = dir / "parent/results";
  std::map<std::string, std::string> records;  // relative path -> bytes

  Case() {
    for (const char* rel : {"sst2/sst2-bow-d4c52a8472df570d-eval-e2fb738b-s13.json",
                            "ag_news/ag_news-bow-2c863d56e1036eec-eval-84975e94-s13.json"}) {
      records[rel] = greenbench::read_file(kReference + "/" + rel);
      write_file(results + "/" + rel, records[rel]);
    }
    // The tiniest bench: one cheap method on 40 fixture sentences.
    std::string train = "sentence\tlabel\n", dev = train;
    for (int i = 0; i < 40; ++i) {
      train += "the film was " + std::string(i % 2 ? "good" : "bad") + " number " + std::to_string(i) + "\t" + (i % 2 ? "1" : "0") + "\n";
      dev += "a film that was " + std::string(i % 2 ? "bad" : "good") + " " + std::to_string(i) + "\t" + (i % 2 ? "0" : "1") + "\n";
    }
    write_file(dir / "data/sst2/train.tsv", train);
    write_file(dir / "data/sst2/dev.tsv", dev);
    write_file(dir / "tiny.json", R"({"name": "tiny", "version": "1", "tasks": ["sst2"],
      "settings": {"size": "tiny", "layers": 1, "max_len": 16, "vocab_size": 100, "epochs": 1, "batch_size": 8,
                   "lr": 0.002, "max_train": 40, "max_calibration": 10, "max_test": 10, "threads": 1,
                   "latency_instances": 1, "latency_warmup_passes": 1},
      "seeds": [13], "methods": [{"method": "bow", "config": {"buckets": 64, "epochs": 1}}]})");
    write_file(dir / "dist/index.html", "<!doctype html><title>t</title>");
    write_file(dir / "token", "s3cret-token-0123456789\n");
    ::chmod((dir / "token").c_str(), 0600);
  }

  CommandResult run(const std::string& args) const {
    return run_command("'" + kBinary + "' -q " + args + " </dev/null", dir.path());
  }

  void check_records() const {
    for (const auto& [rel, text] : records) {
      INFO(results + "/" + rel);
      REQUIRE(fs::exists(results + "/" + rel));
      CHECK(greenbench::read_file(results + "/" + rel) == text);
    }
  }
};

}  // namespace

TEST_CASE("a results folder survives every output-writing command pointed at it or at its parent",
          "[report][outputs][cli]") {
  REQUIRE(fs::exists(kBinary));
  struct Command {
    const char* what;
    std::string args;  // OUT: where the output goes
    bool must_refuse;  // would replace a folder holding the records
  };
  const std::vector<Command> commands = {
      {"site build --out", "site build --results parent/results --web-dist dist --out OUT", true},
      {"bench --site", "bench --suite tiny.json --data data --cache cache --results parent/results --site OUT", true},
      {"serve --site", "serve --results parent/results --site OUT --token-file token --port 0", true},
      {"report --svg", "report --results parent/results --svg OUT", false},
      {"merge --out", "merge --out OUT parent/results", false},
      {"sweep --emit --out", "sweep --suite smoke --emit slurm --data data --results parent/results --out OUT", false},
  };
  for (const auto& command : commands) {
    for (const std::string out : {"parent/results", "parent", "parent/results/sst2"}) {
      Case c;
      std::string args = command.args;
      args.replace(args.find("OUT"), 3, out);
      // serve runs until stopped: a refusal ends it at once, anything else is stopped.
      if (std::string(command.what) == "serve --site") args = "timeout -s TERM 20 '" + kBinary + "' " + args;
      const CommandResult r = std::string(command.what) == "serve --site" ? run_command(args + " </dev/null", c.dir.path())
                                                                           : c.run(args);
      INFO(command.what << " " << out << "\n$ greenbench " << args << "\nexit " << r.status << "\n" << r.output);
      c.check_records();
      if (command.must_refuse) {
        CHECK(r.status != 0);
        CHECK_THAT(r.output, Contains("refusing to replace"));
      }
    }
  }
}

TEST_CASE("site build over a missing results folder fails naming it, and a bad record is skipped with its path",
          "[report][outputs][cli]") {
  REQUIRE(fs::exists(kBinary));
  Case c;
  CommandResult r = c.run("site build --results nowhere --web-dist dist --out site");
  INFO(r.output);
  CHECK(r.status != 0);
  CHECK_THAT(r.output, Contains("nowhere") && Contains("does not exist"));
  CHECK_FALSE(fs::exists(c.dir / "site"));

  // One record without metrics: skipped and named by report and site build, which go on.
  std::string broken = c.records.begin()->second;
  broken.replace(broken.find("\"metrics\""), 9, "\"metrix\"");
  write_file(c.results + "/sst2/broken.json", broken);
  for (const std::string args : {"report --results parent/results --svg ''",
                                  "site build --results parent/results --web-dist dist --out site"}) {
    r = c.run(args);
    INFO(args << "\n" << r.output);
    CHECK(r.status == 0);
    CHECK_THAT(r.output, Contains("skipped parent/results/sst2/broken.json: metrics: missing (expected an object)"));
  }
  CHECK_THAT(greenbench::read_file(c.dir / "site/data/leaderboard.js"), Contains("ag_news-bow-2c863d56e1036eec"));
}
