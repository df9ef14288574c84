// What the loaders accept as a data file: a regular file with at least one
// labelled example. A folder, a FIFO (which would block the reader until a
// writer came), an empty file, a header alone or NLI pairs all without a gold
// label are errors naming the file, for each of the five tasks, and a role
// left empty stops load_task_data instead of recording an accuracy over nothing.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "data/csv.h"
#include "data/roles.h"
#include "fixture.h"
#include "greenbench/error.h"
#include "greenbench/task.h"

using namespace greenbench;
using Catch::Matchers::Contains;
using greenbench::testing::TempDir;
using greenbench::testing::write_file;
namespace fs = std::filesystem;

namespace {

// The first file name each task looks for as its train split.
const std::vector<std::pair<std::string, std::string>> kTrainFiles = {
    {"ag_news", "train.csv"}, {"imdb", "train.csv"}, {"sst2", "train.tsv"}, {"snli", "train.jsonl"}, {"mnli", "train.jsonl"}};

// The message `body` throws with (a greenbench::Error); fails the test if it returns.
template <typename Body>
std::string error_of(Body body) {
  try {
    body();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("expected an error");
  return "";
}

// Opens `fifo` for writing whenever a reader waits on it, and closes it again:
// a reader that blocked in open() then sees an empty file instead of hanging
// the test, so a reader that opens FIFOs fails this test rather than stalls it.
class FifoUnblocker {
 public:
  explicit FifoUnblocker(std::string fifo)
      : fifo_(std::move(fifo)), thread_([this] {
          while (!stop_) {
            const int fd = ::open(fifo_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd >= 0) ::close(fd);
            ::usleep(10000);
          }
        }) {}
  ~FifoUnblocker() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::string fifo_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("a folder given as a data file is refused naming it, for every task", "[tasks][data-files]") {
  TempDir dir;
  CHECK_THAT(error_of([&] { read_whole_file(dir.path()); }), Contains(dir.path()) && Contains("found a folder"));
  for (const auto& [name, file] : kTrainFiles) {
    const std::string task_name = name;  // lambdas below may not capture a structured binding before C++20
    INFO(task_name);
    const std::string folder = dir / task_name, path = folder + "/" + file;
    fs::create_directories(path);
    const std::string message = error_of([&] { make_task(task_name)->load_split(folder, "train"); });
    CHECK_THAT(message, Contains(path) && Contains("a regular data file, found a folder"));
  }
}

TEST_CASE("a FIFO given as a data file is refused without waiting for a writer", "[tasks][data-files]") {
  TempDir dir;
  for (const auto& [name, file] : kTrainFiles) {
    const std::string task_name = name;  // lambdas below may not capture a structured binding before C++20
    INFO(task_name);
    const std::string folder = dir / task_name, path = folder + "/" + file;
    fs::create_directories(folder);
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    FifoUnblocker unblocker(path);
    const std::string message = error_of([&] { make_task(task_name)->load_split(folder, "train"); });
    CHECK_THAT(message, Contains(path) && Contains("found a FIFO"));
  }
}

TEST_CASE("an empty data file is an error naming it, for every task", "[tasks][data-files]") {
  TempDir dir;
  for (const auto& [name, file] : kTrainFiles) {
    const std::string task_name = name;  // lambdas below may not capture a structured binding before C++20
    INFO(task_name);
    const std::string folder = dir / task_name, path = folder + "/" + file;
    write_file(path, "");
    const std::string message = error_of([&] { make_task(task_name)->load_split(folder, "train"); });
    CHECK_THAT(message, Contains(path) && Contains("empty"));
  }
}

TEST_CASE("a file with a header alone or no labelled pair is an error naming it", "[tasks][data-files]") {
  TempDir dir;
  const std::string unlabelled_pair = "{\"gold_label\": \"-\", \"sentence1\": \"A\", \"sentence2\": \"B\"}\n";
  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> cases = {
      {"sst2", "dev.tsv", "sentence\tlabel\n", "holds no examples"},
      {"imdb", "dev.csv", "text,label,rating,source_file\n", "holds no examples"},
      {"snli", "dev.jsonl", unlabelled_pair + unlabelled_pair, "every one of its 2 pairs has gold_label \"-\""},
      {"mnli", "dev_matched.jsonl", unlabelled_pair, "every one of its 1 pairs has gold_label \"-\""}};
  for (const auto& [name, file, content, reason] : cases) {
    const std::string task_name = name;  // lambdas below may not capture a structured binding before C++20
    INFO(task_name);
    const std::string folder = dir / task_name, path = folder + "/" + file;
    write_file(path, content);
    const std::string message = error_of([&] { make_task(task_name)->load_split(folder, "dev"); });
    CHECK_THAT(message, Contains(path) && Contains(reason));
  }
}

TEST_CASE("an empty test role stops load_task_data naming the file, before anything is recorded", "[tasks][data-files]") {
  TempDir dir;
  std::string train = "sentence\tlabel\n";
  for (int i = 0; i < 20; ++i) train += "row " + std::to_string(i) + "\t" + std::to_string(i % 2) + "\n";
  write_file(dir / "sst2/train.tsv", train);
  write_file(dir / "sst2/dev.tsv", "sentence\tlabel\n");
  const std::string message = error_of([&] { load_task_data(*make_task("sst2"), dir.path(), RoleOptions{}); });
  CHECK_THAT(message, Contains(dir / "sst2/dev.tsv") && Contains("holds no examples"));
}
