// AG News (Zhang, Zhao, LeCun 2015): 4-class news topic classification.
// Reads the shared layout (train.csv, dev.csv, test.csv) and the canonical
// archive's ag_news_csv/{train,test}.csv; see tasks/ag_news/README.md.
#include <string>
#include <vector>

#include "common/file_task.h"
#include "data/csv.h"
#include "greenbench/error.h"

namespace greenbench {
namespace {

/// Appends AG News field text to `out`, undoing the source's escapes. The
/// corpus writes a line break as a backslash ("dwindling\band", "Flash)\\Its"):
/// each run of backslashes becomes one space, so the words on either side stay
/// apart. The one exception is "\$", the source feed's escaped dollar sign,
/// which becomes "$" ("from \$49" reads "from $49").
void append_unescaped(std::string_view text, std::string& out) {
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '\\') {
      size_t next = text.find('\\', i);
      if (next == std::string_view::npos) next = text.size();
      out.append(text.data() + i, next - i);
      i = next;
      continue;
    }
    size_t end = i;
    while (end < text.size() && text[end] == '\\') ++end;
    if (end - i == 1 && end < text.size() && text[end] == '$') {
      out.push_back('$');
      i = end + 1;
    } else {
      out.push_back(' ');
      i = end;
    }
  }
}

class AgNewsTask : public FileTask {
 public:
  std::string name() const override { return "ag_news"; }
  std::string display_name() const override { return "AG News"; }
  std::vector<std::string> label_names() const override {
    return {"World", "Sports", "Business", "Sci/Tech"};
  }
  bool is_pair() const override { return false; }

  std::vector<DataSource> sources() const override {
    // No published sha256 of this archive was found (the Hugging Face and
    // torchtext loaders fetch the two CSV files instead, with md5 sums), so
    // the fetcher cannot verify it; see README.md.
    return {{"https://s3.amazonaws.com/fast-ai-nlp/ag_news_csv.tgz", "", "ag_news_csv.tgz", true}};
  }

 protected:
  std::vector<std::string> split_paths(const std::string& split) const override {
    if (split == "train") return {"train.csv", "ag_news_csv/train.csv"};
    if (split == "dev") return {"dev.csv"};
    return {"test.csv", "ag_news_csv/test.csv"};
  }

  void read_split(const std::string& path, const std::string&, Split& out) const override {
    const std::string bytes = read_whole_file(path);
    FileDigest digest(path, bytes);
    out.labelled = true;
    CsvReader csv(bytes, path);
    std::vector<std::string> fields;
    while (csv.next(fields)) {
      if (fields.size() != 3) {
        throw DataFormatError(
            path, csv.line(),
            "3 comma-separated fields (class, title, description), found " + std::to_string(fields.size()));
      }
      Example example;
      example.label = parse_int_label(fields[0], 1, 4, path, csv.line());
      std::string& text = example.text_a;
      text.reserve(fields[1].size() + fields[2].size() + 1);
      append_unescaped(fields[1], text);
      // About 9,200 rows of the shared train.csv come with the title already
      // joined into the description and an empty title: no leading space then.
      if (!text.empty() && !fields[2].empty()) text.push_back(' ');
      append_unescaped(fields[2], text);
      out.examples.push_back(std::move(example));
    }
    digest.finish(out);
  }
};

}  // namespace

void register_task_ag_news(TaskRegistry& registry) {
  registry.add([] { return std::make_unique<AgNewsTask>(); });
}

}  // namespace greenbench
