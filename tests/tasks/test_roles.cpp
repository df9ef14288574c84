// Role assignment: which split trains, calibrates and is reported; the
// seeded, stratified carve-out and subsamples; the errors.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "data/roles.h"
#include "fixture.h"
#include "greenbench/error.h"
#include "greenbench/task.h"

using namespace greenbench;
using greenbench::testing::TempDir;
using greenbench::testing::write_file;

namespace {

/// An SST-2 style TSV with `negatives` rows of label 0 then `positives` of
/// label 1, interleaved so file order and label order differ; texts are
/// "<prefix><row>" and unique.
std::string sst2_tsv(const std::string& prefix, int negatives, int positives) {
  std::string text = "sentence\tlabel\n";
  int n = 0, p = 0, row = 0;
  while (n < negatives || p < positives) {
    const bool positive = p < positives && (n >= negatives || row % 3 == 2);
    text += prefix + std::to_string(row++) + "\t" + (positive ? "1" : "0") + "\n";
    (positive ? p : n)++;
  }
  return text;
}

std::map<int, int> label_counts(const Split& split) {
  std::map<int, int> counts;
  for (const auto& example : split.examples) counts[example.label]++;
  return counts;
}

std::vector<std::string> texts(const Split& split) {
  std::vector<std::string> out;
  for (const auto& example : split.examples) out.push_back(example.text_a);
  return out;
}

int row_of(const std::string& text) { return std::stoi(text.substr(text.find_first_of("0123456789"))); }

bool in_file_order(const Split& split) {
  for (size_t i = 1; i < split.examples.size(); ++i) {
    if (row_of(split.examples[i - 1].text_a) >= row_of(split.examples[i].text_a)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("roles: without a test file, dev is reported and train is carved", "[tasks][roles]") {
  TempDir dir;
  write_file(dir / "sst2/train.tsv", sst2_tsv("t", 60, 40));
  write_file(dir / "sst2/dev.tsv", sst2_tsv("d", 12, 8));
  auto task = make_task("sst2");
  RoleOptions options;
  TaskData data = load_task_data(*task, dir.path(), options);

  CHECK(data.test_source == "dev");
  CHECK(data.test.name == "dev");
  CHECK(data.test.examples.size() == 20);
  CHECK(data.calibration_source == "train carve-out 10% (seed 13, stratified)");
  CHECK(data.train_source == "train minus carve-out");

  // 10% of 100, stratified: 6 of the 60 negatives and 4 of the 40 positives.
  CHECK(label_counts(data.calibration) == std::map<int, int>{{0, 6}, {1, 4}});
  CHECK(label_counts(data.train) == std::map<int, int>{{0, 54}, {1, 36}});

  // Disjoint, together the whole of train, each in file order.
  const auto train_list = texts(data.train);
  std::set<std::string> train_texts(train_list.begin(), train_list.end());
  std::set<std::string> all = train_texts;
  for (const auto& text : texts(data.calibration)) {
    CHECK(train_texts.count(text) == 0);
    all.insert(text);
  }
  CHECK(all.size() == 100);
  CHECK(in_file_order(data.train));
  CHECK(in_file_order(data.calibration));

  // The carve-out keeps the train file's identity for the record.
  CHECK(data.calibration.name == "train");
  CHECK(data.calibration.sha256 == data.train.sha256);
  CHECK(data.calibration.files == data.train.files);
}

TEST_CASE("roles: the carve-out is deterministic and depends on the seed", "[tasks][roles]") {
  TempDir dir;
  write_file(dir / "sst2/train.tsv", sst2_tsv("t", 300, 200));
  write_file(dir / "sst2/dev.tsv", sst2_tsv("d", 5, 5));
  auto task = make_task("sst2");
  RoleOptions options;
  const auto first = texts(load_task_data(*task, dir.path(), options).calibration);
  const auto second = texts(load_task_data(*task, dir.path(), options).calibration);
  CHECK(first == second);
  options.seed = 14;
  TaskData other = load_task_data(*task, dir.path(), options);
  CHECK(texts(other.calibration) != first);
  CHECK(other.calibration_source == "train carve-out 10% (seed 14, stratified)");
  options.calibration_fraction = 0.25;
  other = load_task_data(*task, dir.path(), options);
  CHECK(label_counts(other.calibration) == std::map<int, int>{{0, 75}, {1, 50}});
  CHECK(other.calibration_source == "train carve-out 25% (seed 14, stratified)");
}

TEST_CASE("roles: with a test file, test is reported and dev calibrates", "[tasks][roles]") {
  TempDir dir;
  write_file(dir / "sst2/train.tsv", sst2_tsv("t", 30, 20));
  write_file(dir / "sst2/dev.tsv", sst2_tsv("d", 6, 4));
  write_file(dir / "sst2/test.tsv", sst2_tsv("x", 3, 3));
  TaskData data = load_task_data(*make_task("sst2"), dir.path(), RoleOptions{});
  CHECK(data.test_source == "test");
  CHECK(data.test.name == "test");
  CHECK(data.test.examples.size() == 6);
  CHECK(data.calibration_source == "dev");
  CHECK(data.calibration.examples.size() == 10);
  CHECK(data.train_source == "train");
  CHECK(data.train.examples.size() == 50);
}

TEST_CASE("roles: a test file but no dev (canonical AG News) carves calibration from train",
          "[tasks][roles]") {
  TempDir dir;
  std::string train, test;
  for (int i = 0; i < 40; ++i)
    train += "\"" + std::to_string(i % 4 + 1) + "\",\"t" + std::to_string(i) + "\",\"d\"\n";
  for (int i = 0; i < 8; ++i)
    test += "\"" + std::to_string(i % 4 + 1) + "\",\"x" + std::to_string(i) + "\",\"d\"\n";
  write_file(dir / "ag_news/ag_news_csv/train.csv", train);
  write_file(dir / "ag_news/ag_news_csv/test.csv", test);
  RoleOptions options;
  options.calibration_fraction = 0.2;
  TaskData data = load_task_data(*make_task("ag_news"), dir.path(), options);
  CHECK(data.test_source == "test");
  CHECK(data.test.examples.size() == 8);
  CHECK(data.calibration_source == "train carve-out 20% (seed 13, stratified)");
  CHECK(label_counts(data.calibration) == std::map<int, int>{{0, 2}, {1, 2}, {2, 2}, {3, 2}});
  CHECK(data.train.examples.size() == 32);
}

TEST_CASE("roles: max_* subsample each role, stratified and seeded", "[tasks][roles]") {
  TempDir dir;
  write_file(dir / "sst2/train.tsv", sst2_tsv("t", 600, 400));
  write_file(dir / "sst2/dev.tsv", sst2_tsv("d", 150, 50));
  auto task = make_task("sst2");
  RoleOptions options;
  const TaskData full = load_task_data(*task, dir.path(), options);
  options.max_train = 300;
  options.max_calibration = 50;
  options.max_test = 40;
  TaskData data = load_task_data(*task, dir.path(), options);

  CHECK(data.train_source == "train minus carve-out, subsample 300 (seed 13)");
  CHECK(data.calibration_source == "train carve-out 10% (seed 13, stratified), subsample 50 (seed 13)");
  CHECK(data.test_source == "dev, subsample 40 (seed 13)");
  CHECK(label_counts(data.train) == std::map<int, int>{{0, 180}, {1, 120}});
  CHECK(label_counts(data.calibration) == std::map<int, int>{{0, 30}, {1, 20}});
  CHECK(label_counts(data.test) == std::map<int, int>{{0, 30}, {1, 10}});
  CHECK(in_file_order(data.train));
  CHECK(in_file_order(data.test));

  // Subsamples come from their role's split, and limiting train does not
  // move the carve-out.
  const auto full_train_list = texts(full.train);
  std::set<std::string> full_train(full_train_list.begin(), full_train_list.end());
  for (const auto& text : texts(data.train)) CHECK(full_train.count(text) == 1);
  const auto full_calibration_list = texts(full.calibration);
  std::set<std::string> full_calibration(full_calibration_list.begin(), full_calibration_list.end());
  for (const auto& text : texts(data.calibration)) CHECK(full_calibration.count(text) == 1);
  options.max_calibration = 0;
  options.max_test = 0;
  CHECK(texts(load_task_data(*task, dir.path(), options).calibration) == texts(full.calibration));

  CHECK(texts(load_task_data(*task, dir.path(), options).train) ==
        texts(load_task_data(*task, dir.path(), options).train));

  // A limit at or above the size changes nothing and says nothing.
  options.max_train = 5000;
  TaskData unchanged = load_task_data(*task, dir.path(), options);
  CHECK(unchanged.train.examples.size() == full.train.examples.size());
  CHECK(unchanged.train_source == "train minus carve-out");
}

TEST_CASE("roles: an unlabelled test file is refused with a way out", "[tasks][roles]") {
  TempDir dir;
  write_file(dir / "sst2/SST-2/train.tsv", sst2_tsv("t", 6, 4));
  write_file(dir / "sst2/SST-2/dev.tsv", sst2_tsv("d", 2, 2));
  write_file(dir / "sst2/SST-2/test.tsv", "index\tsentence\n0\ta\n1\tb\n");
  try {
    load_task_data(*make_task("sst2"), dir.path(), RoleOptions{});
    FAIL("expected an Error");
  } catch (const DataMissingError&) {
    FAIL("expected Error, not DataMissingError");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("sst2: SST-2/test.tsv has no labels") &&
                             Catch::Contains("evaluate on dev instead by removing test.tsv") &&
                             Catch::Contains("--data"));
  }
}

TEST_CASE("roles: missing data lists the paths tried for train, or for test and dev", "[tasks][roles]") {
  TempDir dir;
  auto task = make_task("snli");
  try {
    load_task_data(*task, dir.path(), RoleOptions{});
    FAIL("expected DataMissingError");
  } catch (const DataMissingError& e) {
    CHECK_THAT(e.what(), Catch::Contains(dir / "snli/test.jsonl") &&
                             Catch::Contains(dir / "snli/snli_1.0/snli_1.0_dev.jsonl") &&
                             Catch::Contains("greenbench data fetch snli"));
  }
  write_file(dir / "snli/dev.jsonl",
             "{\"gold_label\": \"neutral\", \"sentence1\": \"a\", \"sentence2\": \"b\"}\n");
  try {
    load_task_data(*task, dir.path(), RoleOptions{});
    FAIL("expected DataMissingError");
  } catch (const DataMissingError& e) {
    CHECK_THAT(e.what(), Catch::Contains(dir / "snli/train.jsonl") &&
                             Catch::Contains(dir / "snli/snli_1.0/snli_1.0_train.jsonl") &&
                             Catch::Contains("or pass --data DIR"));
  }
}

TEST_CASE("roles: an impossible carve-out is an error", "[tasks][roles]") {
  TempDir dir;
  write_file(dir / "sst2/train.tsv", sst2_tsv("t", 6, 4));
  write_file(dir / "sst2/dev.tsv", sst2_tsv("d", 2, 2));
  RoleOptions options;
  options.calibration_fraction = 1.0;
  CHECK_THROWS_WITH(load_task_data(*make_task("sst2"), dir.path(), options),
                    Catch::Contains("between 0 and 1"));
  write_file(dir / "sst2/train.tsv", sst2_tsv("t", 1, 0));
  CHECK_THROWS_WITH(load_task_data(*make_task("sst2"), dir.path(), RoleOptions{}),
                    Catch::Contains("too few"));
}

TEST_CASE("resolve_data_root: flag, then environment, then ./data", "[tasks][roles]") {
  CHECK(resolve_data_root("/flag") == "/flag");
  setenv("GREENBENCH_DATA", "/from-env", 1);
  CHECK(resolve_data_root("") == "/from-env");
  unsetenv("GREENBENCH_DATA");
  CHECK(resolve_data_root("") == "data");
}
