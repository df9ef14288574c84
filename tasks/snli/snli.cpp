// SNLI 1.0 (Bowman et al. 2015): 3-way natural language inference on
// sentence pairs. Reads the shared layout ({train,dev,test}.jsonl) and the
// canonical archive's snli_1.0/snli_1.0_{train,dev,test}.jsonl; see
// tasks/snli/README.md.
#include <string>
#include <vector>

#include "common/file_task.h"

namespace greenbench {
namespace {

class SnliTask : public FileTask {
 public:
  std::string name() const override { return "snli"; }
  std::string display_name() const override { return "SNLI"; }
  std::vector<std::string> label_names() const override { return nli_label_names(); }
  bool is_pair() const override { return true; }

  std::vector<DataSource> sources() const override {
    // sha256 as published in huggingface/datasets, datasets/snli/dataset_infos.json
    // ("download_checksums" of snli_1.0.zip, 94,550,081 bytes); ParlAI pins the
    // same value (facebookresearch/ParlAI, parlai/tasks/snli/build.py).
    return {{"https://nlp.stanford.edu/projects/snli/snli_1.0.zip",
             "afb3d70a5af5d8de0d9d81e2637e0fb8c22d1235c2749d83125ca43dab0dbd3e", "snli_1.0.zip", true}};
  }

 protected:
  std::vector<std::string> split_paths(const std::string& split) const override {
    return {split + ".jsonl", "snli_1.0/snli_1.0_" + split + ".jsonl"};
  }

  void read_split(const std::string& path, const std::string&, Split& out) const override {
    read_nli_jsonl(path, out);
  }
};

}  // namespace

void register_task_snli(TaskRegistry& registry) {
  registry.add([] { return std::make_unique<SnliTask>(); });
}

}  // namespace greenbench
