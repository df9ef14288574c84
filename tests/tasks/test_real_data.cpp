// The loaders on the real shared data (GREENBENCH_SHARED_DATA), checked
// against the row counts, label distributions and sha256 prefixes in its
// SOURCES.md. Skipped with a warning where that folder is absent. The hidden
// [.bench] case times each training split (run: test_tasks "[.bench]").
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "data/roles.h"
#include "greenbench/task.h"

using namespace greenbench;

namespace {

struct Expected {
  std::string task, split;
  size_t rows;
  std::map<std::string, int> labels;  // label name -> count
  std::string sha256_prefix;
};

// From the first table of /work/shared/data/SOURCES.md ("The files as they are now").
// clang-format off
const std::vector<Expected> kExpected = {
    {"ag_news", "train", 14098, {{"World", 3445}, {"Sports", 3446}, {"Business", 3480}, {"Sci/Tech", 3727}},
     "6ef6b6f6f36a9cab"},
    {"ag_news", "dev", 2000, {{"World", 500}, {"Sports", 500}, {"Business", 500}, {"Sci/Tech", 500}},
     "f28befeb149bc8fc"},
    {"imdb", "train", 22500, {{"negative", 11250}, {"positive", 11250}}, "f70f1f1cb8acc15d"},
    {"imdb", "dev", 2500, {{"negative", 1250}, {"positive", 1250}}, "e10ed52fb305b393"},
    {"sst2", "train", 67349, {{"negative", 29780}, {"positive", 37569}}, "48eac26399f84569"},
    {"sst2", "dev", 872, {{"negative", 428}, {"positive", 444}}, "54a9c12c77e402fc"},
    {"snli", "train", 18000, {{"entailment", 6015}, {"neutral", 5899}, {"contradiction", 6086}},
     "4b779e358cc4f605"},
    {"snli", "dev", 9842, {{"entailment", 3329}, {"neutral", 3235}, {"contradiction", 3278}},
     "272c8b6ccae2c2d3"},
    {"mnli", "train", 20000, {{"entailment", 6709}, {"neutral", 6646}, {"contradiction", 6645}},
     "7448d7571e4c8586"},
    {"mnli", "dev", 4850, {{"entailment", 1702}, {"neutral", 1566}, {"contradiction", 1582}},
     "3d85842901441a09"},
};
// clang-format on

bool shared_data_present() {
  std::error_code error;
  if (std::filesystem::is_directory(GREENBENCH_SHARED_DATA, error)) return true;
  WARN("shared data folder " << GREENBENCH_SHARED_DATA << " is absent; real-data checks skipped");
  return false;
}

}  // namespace

TEST_CASE("real data: every task's train and dev match SOURCES.md", "[tasks][real]") {
  if (!shared_data_present()) return;
  for (const Expected& expected : kExpected) {
    const std::string folder = std::string(GREENBENCH_SHARED_DATA) + "/" + expected.task;
    if (!std::filesystem::exists(folder)) {
      WARN(folder << " is absent; skipped");
      continue;
    }
    INFO(expected.task << " " << expected.split);
    auto task = make_task(expected.task);
    REQUIRE(task->has_split(folder, expected.split));
    CHECK_FALSE(task->has_split(folder, "test"));
    Split split = task->load_split(folder, expected.split);
    CHECK(split.labelled);
    CHECK(split.examples.size() == expected.rows);
    std::map<std::string, int> counts;
    const auto names = task->label_names();
    bool labels_valid = true, pairs_complete = true, texts_present = true;
    for (const Example& example : split.examples) {
      if (example.label < 0 || example.label >= static_cast<int>(names.size())) {
        labels_valid = false;
        continue;
      }
      counts[names[example.label]]++;
      if (example.text_a.empty()) texts_present = false;
      if (task->is_pair() == example.text_b.empty()) pairs_complete = false;
    }
    CHECK(labels_valid);
    CHECK(counts == expected.labels);
    CHECK(pairs_complete);
    CHECK(texts_present);
    CHECK(split.sha256.substr(0, 16) == expected.sha256_prefix);
  }
}

TEST_CASE("real data: text clean-up leaves no escapes or tags behind", "[tasks][real]") {
  if (!shared_data_present()) return;
  const std::string root = GREENBENCH_SHARED_DATA;
  Split ag = make_task("ag_news")->load_split(root + "/ag_news", "train");
  size_t backslashes = 0;
  for (const auto& example : ag.examples) backslashes += example.text_a.find('\\') != std::string::npos;
  CHECK(backslashes == 0);
  CHECK(ag.examples[0].text_a.rfind("Teen in the dock for first Madrid bombings trial (AFP) AFP - A teenage",
                                    0) == 0);

  Split imdb = make_task("imdb")->load_split(root + "/imdb", "dev");
  size_t tags = 0;
  for (const auto& example : imdb.examples) tags += example.text_a.find("<br") != std::string::npos;
  CHECK(tags == 0);

  Split sst2 = make_task("sst2")->load_split(root + "/sst2", "train");
  CHECK(sst2.examples[0].text_a == "hide new secretions from the parental units");
}

TEST_CASE("real data: roles on the shared layout report on dev and carve train", "[tasks][real]") {
  if (!shared_data_present()) return;
  for (const char* name : {"ag_news", "sst2", "snli"}) {
    INFO(name);
    TaskData data = load_task_data(*make_task(name), GREENBENCH_SHARED_DATA, RoleOptions{});
    CHECK(data.test_source == "dev");
    CHECK(data.calibration_source == "train carve-out 10% (seed 13, stratified)");
    CHECK(data.train.examples.size() + data.calibration.examples.size() ==
          make_task(name)
              ->load_split(std::string(GREENBENCH_SHARED_DATA) + "/" + name, "train")
              .examples.size());
  }
}

TEST_CASE("bench: time to load each real train split", "[.bench]") {
  if (!shared_data_present()) return;
  for (const auto& task : registered_tasks()) {
    const std::string folder = std::string(GREENBENCH_SHARED_DATA) + "/" + task->name();
    if (!task->has_split(folder, "train")) continue;
    task->load_split(folder, "train");  // warm the page cache: time parsing, not the disk
    constexpr int kRepeats = 5;
    double best = 1e9;
    size_t rows = 0;
    for (int i = 0; i < kRepeats; ++i) {
      const auto start = std::chrono::steady_clock::now();
      Split split = task->load_split(folder, "train");
      best = std::min(
          best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      rows = split.examples.size();
    }
    std::cout << task->name() << " train: " << rows << " rows, best of " << kRepeats << ": " << best
              << " ms\n";
  }
}
