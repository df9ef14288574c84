// IMDB Large Movie Review Dataset (Maas et al. 2011): binary sentiment.
// Reads the shared layout (train.csv, dev.csv, test.csv: RFC-4180 with a
// header) and the canonical archive's aclImdb/{train,test}/{neg,pos}/*.txt;
// see tasks/imdb/README.md.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "common/file_task.h"
#include "data/csv.h"
#include "greenbench/error.h"
#include "util/sha256.h"

namespace greenbench {
namespace {

/// Appends a review to `out` with its HTML line breaks ("<br />", and the
/// rarer "<br/>" and "<br>") replaced by a space: they are markup from the
/// IMDB site, not words, and would otherwise glue sentences together.
void append_review(std::string_view text, std::string& out) {
  out.reserve(out.size() + text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t tag = text.find("<br", i);
    if (tag == std::string_view::npos) break;
    size_t length = 0;
    std::string_view rest = text.substr(tag);
    if (rest.substr(0, 6) == "<br />")
      length = 6;
    else if (rest.substr(0, 5) == "<br/>")
      length = 5;
    else if (rest.substr(0, 4) == "<br>")
      length = 4;
    if (length == 0) {
      out.append(text.data() + i, tag + 3 - i);
      i = tag + 3;
      continue;
    }
    out.append(text.data() + i, tag - i);
    out.push_back(' ');
    i = tag + length;
  }
  out.append(text.data() + i, text.size() - i);
}

class ImdbTask : public FileTask {
 public:
  std::string name() const override { return "imdb"; }
  std::string display_name() const override { return "IMDB"; }
  std::vector<std::string> label_names() const override { return {"negative", "positive"}; }
  bool is_pair() const override { return false; }

  std::vector<DataSource> sources() const override {
    // sha256 as published in huggingface/datasets, datasets/imdb/dataset_infos.json
    // ("download_checksums" of aclImdb_v1.tar.gz, 84,125,825 bytes); the same value
    // is pinned by JuliaText / DataDeps registrations of this URL.
    return {{"https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
             "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe", "aclImdb_v1.tar.gz", true}};
  }

 protected:
  std::vector<std::string> split_paths(const std::string& split) const override {
    if (split == "train") return {"train.csv", "aclImdb/train"};
    if (split == "dev") return {"dev.csv"};
    return {"test.csv", "aclImdb/test"};
  }

  void read_split(const std::string& path, const std::string&, Split& out) const override {
    out.labelled = true;
    // Only the aclImdb/ paths are trees; a folder where a .csv belongs is refused by the reader.
    if (std::filesystem::path(path).extension() != ".csv" && std::filesystem::is_directory(path)) {
      read_tree(path, out);
    } else {
      read_csv(path, out);
    }
  }

 private:
  static void read_csv(const std::string& path, Split& out) {
    const std::string bytes = read_whole_file(path);
    FileDigest digest(path, bytes);
    CsvReader csv(bytes, path);
    std::vector<std::string> fields;
    if (!csv.next(fields)) throw DataFormatError(path, 1, "a header line (text,label,rating,source_file), found an empty file");
    const auto column = [&](const char* name) {
      auto it = std::find(fields.begin(), fields.end(), name);
      return it == fields.end() ? -1 : static_cast<int>(it - fields.begin());
    };
    const int text_column = column("text");
    const int label_column = column("label");
    if (text_column < 0 || label_column < 0) {
      throw DataFormatError(path, csv.line(),
                            "a header naming the columns text and label (text,label,rating,source_file)");
    }
    const size_t width = fields.size();
    while (csv.next(fields)) {
      if (fields.size() != width) {
        throw DataFormatError(
            path, csv.line(),
            std::to_string(width) + " fields as in the header, found " + std::to_string(fields.size()));
      }
      Example example;
      example.label = parse_int_label(fields[label_column], 0, 2, path, csv.line());
      append_review(fields[text_column], example.text_a);
      out.examples.push_back(std::move(example));
    }
    digest.finish(out);
  }

  /// The canonical tree: <split>/neg/*.txt (label 0) then <split>/pos/*.txt
  /// (label 1), each folder in byte-wise sorted file-name order so every
  /// machine reads the same sequence. Split.files lists the two folders.
  ///
  /// Split.sha256 of a tree: sha256 over, for each file in that order, its
  /// path relative to the split folder ("neg/0_3.txt"), a NUL byte, its size
  /// in decimal, a NUL byte, then its bytes. Relative paths keep the digest
  /// independent of where the data folder is; the sizes make the framing
  /// unambiguous.
  static void read_tree(const std::string& path, Split& out) {
    namespace fs = std::filesystem;
    Sha256 hasher;
    std::string content;
    for (const auto& [folder, label] : {std::pair<const char*, int>{"neg", 0}, {"pos", 1}}) {
      const fs::path dir = fs::path(path) / folder;
      std::error_code error;
      if (!fs::is_directory(dir, error)) {
        throw DataMissingError("imdb: " + dir.string() +
                               " is missing; the aclImdb tree needs both neg/ and pos/ " +
                               "(run `greenbench data fetch imdb` or pass --data DIR)");
      }
      std::vector<std::string> names;
      for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ".txt") {
          names.push_back(entry.path().filename().string());
        }
      }
      std::sort(names.begin(), names.end());
      out.files.push_back(dir.string() + "/");
      for (const std::string& name : names) {
        read_whole_file((dir / name).string(), content);
        const std::string relative = std::string(folder) + "/" + name;
        hasher.update(relative);
        hasher.update(std::string_view("\0", 1));
        hasher.update(std::to_string(content.size()));
        hasher.update(std::string_view("\0", 1));
        hasher.update(content);
        Example example;
        example.label = label;
        append_review(trim_ascii(content), example.text_a);
        out.examples.push_back(std::move(example));
      }
    }
    out.sha256 = hasher.hex_digest();
  }
};

}  // namespace

void register_task_imdb(TaskRegistry& registry) {
  registry.add([] { return std::make_unique<ImdbTask>(); });
}

}  // namespace greenbench
