// MultiNLI 1.0 (Williams, Nangia, Bowman 2018): 3-way natural language
// inference across genres. Reads the shared layout (train.jsonl,
// dev_matched.jsonl, test_matched.jsonl) and the canonical archive's
// multinli_1.0/multinli_1.0_{train,dev_matched,dev_mismatched}.jsonl. As in
// the paper, dev_matched is dev and dev_mismatched is test (MultiNLI's own
// test labels are private). See tasks/mnli/README.md.
#include <string>
#include <vector>

#include "common/file_task.h"

namespace greenbench {
namespace {

class MnliTask : public FileTask {
 public:
  std::string name() const override { return "mnli"; }
  std::string display_name() const override { return "MultiNLI"; }
  std::vector<std::string> label_names() const override { return nli_label_names(); }
  bool is_pair() const override { return true; }

  std::vector<DataSource> sources() const override {
    // sha256 as published in huggingface/datasets, datasets/multi_nli/dataset_infos.json
    // ("download_checksums" of multinli_1.0.zip, 226,850,426 bytes); ParlAI pins
    // the same value (facebookresearch/ParlAI, parlai/tasks/multinli/build.py).
    return {{"https://cims.nyu.edu/~sbowman/multinli/multinli_1.0.zip",
             "049f507b9e36b1fcb756cfd5aeb3b7a0cfcb84bf023793652987f7e7e0957822", "multinli_1.0.zip", true}};
  }

 protected:
  std::vector<std::string> split_paths(const std::string& split) const override {
    if (split == "train") return {"train.jsonl", "multinli_1.0/multinli_1.0_train.jsonl"};
    if (split == "dev") return {"dev_matched.jsonl", "multinli_1.0/multinli_1.0_dev_matched.jsonl"};
    return {"test_matched.jsonl", "multinli_1.0/multinli_1.0_dev_mismatched.jsonl"};
  }

  void read_split(const std::string& path, const std::string&, Split& out) const override {
    read_nli_jsonl(path, out);
  }
};

}  // namespace

void register_task_mnli(TaskRegistry& registry) {
  registry.add([] { return std::make_unique<MnliTask>(); });
}

}  // namespace greenbench
