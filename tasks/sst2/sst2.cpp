// SST-2 in the GLUE format (Socher et al. 2013; Wang et al. 2019): binary
// sentence sentiment. Reads the shared layout (train.tsv, dev.tsv, test.tsv)
// and the canonical archive's SST-2/{train,dev,test}.tsv; GLUE's test.tsv has
// no labels. See tasks/sst2/README.md.
#include <algorithm>
#include <string>
#include <vector>

#include "common/file_task.h"
#include "data/csv.h"
#include "greenbench/error.h"

namespace greenbench {
namespace {

class Sst2Task : public FileTask {
 public:
  std::string name() const override { return "sst2"; }
  std::string display_name() const override { return "SST-2"; }
  std::vector<std::string> label_names() const override { return {"negative", "positive"}; }
  bool is_pair() const override { return false; }

  std::vector<DataSource> sources() const override {
    // sha256 as published in huggingface/datasets, datasets/glue/dataset_infos.json
    // (config sst2, "download_checksums" of SST-2.zip, 7,439,277 bytes).
    return {{"https://dl.fbaipublicfiles.com/glue/data/SST-2.zip",
             "d67e16fb55739c1b32cdce9877596db1c127dc322d93c082281f64057c16deaa", "SST-2.zip", true}};
  }

 protected:
  std::vector<std::string> split_paths(const std::string& split) const override {
    // train.tsv is GLUE's phrase-and-sentence training set (67,349 rows), the
    // set GLUE results are reported on; the shared folder's
    // train_sentences.tsv is deliberately not used.
    return {split + ".tsv", "SST-2/" + split + ".tsv"};
  }

  void read_split(const std::string& path, const std::string& split, Split& out) const override {
    const std::string bytes = read_whole_file(path);
    FileDigest digest(path, bytes);
    LineReader lines(bytes);
    std::string_view line;
    std::vector<std::string_view> fields;
    if (!lines.next(line)) throw DataFormatError(path, 1, "a header line (sentence<TAB>label), found an empty file");
    split_fields(line, '\t', fields);
    const auto column = [&](std::string_view name) {
      auto it = std::find_if(fields.begin(), fields.end(),
                             [&](std::string_view f) { return trim_ascii(f) == name; });
      return it == fields.end() ? -1 : static_cast<int>(it - fields.begin());
    };
    const int sentence_column = column("sentence");
    const int label_column = column("label");
    if (sentence_column < 0) {
      throw DataFormatError(path, lines.line(), "a header with a 'sentence' column (sentence<TAB>label)");
    }
    // Only a test file may come without labels (GLUE keeps them private);
    // train or dev without them could not be used at all.
    if (label_column < 0 && split != "test") {
      throw DataFormatError(path, lines.line(), "a header with a 'label' column (sentence<TAB>label)");
    }
    out.labelled = label_column >= 0;
    const size_t width = fields.size();
    while (lines.next(line)) {
      if (trim_ascii(line).empty()) continue;
      split_fields(line, '\t', fields);
      if (fields.size() != width) {
        throw DataFormatError(path, lines.line(),
                              std::to_string(width) + " tab-separated fields as in the header, found " +
                                  std::to_string(fields.size()));
      }
      Example example;
      example.text_a = std::string(trim_ascii(fields[sentence_column]));
      example.label =
          label_column >= 0 ? parse_int_label(fields[label_column], 0, 2, path, lines.line()) : -1;
      out.examples.push_back(std::move(example));
    }
    digest.finish(out);
  }
};

}  // namespace

void register_task_sst2(TaskRegistry& registry) {
  registry.add([] { return std::make_unique<Sst2Task>(); });
}

}  // namespace greenbench
