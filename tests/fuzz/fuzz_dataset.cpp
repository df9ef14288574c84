// One dataset loader (GREENBENCH_FUZZ_TASK, set per executable by
// CMakeLists.txt) on a hostile data file: the input becomes the task's
// training file and its test file (SST-2's test file may lack labels, so the
// two take different paths), each read through Task::load_split exactly as
// `greenbench run` reads them. DataFormatError and friends are the expected
// answer to most inputs; a crash, hang or sanitizer report is a bug.
#include <cstdint>
#include <exception>
#include <memory>
#include <string>

#include "fuzz_support.h"
#include "greenbench/task.h"

namespace {

struct SplitFiles {
  const char* task;
  const char* train;
  const char* test;
};

// The first file name each loader tries for the split (tasks/*/*.cpp split_paths).
constexpr SplitFiles kSplitFiles[] = {
    {"ag_news", "train.csv", "test.csv"},   {"imdb", "train.csv", "test.csv"},
    {"sst2", "train.tsv", "test.tsv"},      {"snli", "train.jsonl", "test.jsonl"},
    {"mnli", "train.jsonl", "test_matched.jsonl"},
};

const SplitFiles& files_of(const std::string& task) {
  for (const auto& f : kSplitFiles)
    if (task == f.task) return f;
  std::abort();  // CMakeLists.txt names a task this table lacks
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace greenbench;
  static const std::unique_ptr<Task> task = make_task(GREENBENCH_FUZZ_TASK);
  static const SplitFiles& files = files_of(GREENBENCH_FUZZ_TASK);
  const auto task_dir = fuzz::scratch_dir() / GREENBENCH_FUZZ_TASK;
  const auto bytes = fuzz::as_text(data, size);
  for (const auto& [split, file] : {std::pair{"train", files.train}, std::pair{"test", files.test}}) {
    fuzz::write_input(task_dir / file, bytes);
    try {
      const Split loaded = task->load_split(task_dir.string(), split);
      // What the runner relies on: every label is one of the task's, or -1 when unlabelled.
      const int labels = static_cast<int>(task->label_names().size());
      for (const Example& e : loaded.examples)
        if (e.label < -1 || e.label >= labels || (loaded.labelled && e.label < 0)) std::abort();
    } catch (const std::exception&) {
      // A refusal with a message is the right answer to a bad file.
    }
  }
  return 0;
}
