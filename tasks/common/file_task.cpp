// Split lookup, the missing-data message, label parsing and the NLI JSONL reader.
#include "common/file_task.h"

#include <charconv>
#include <filesystem>

#include "data/csv.h"
#include "data/json_fields.h"
#include "greenbench/error.h"
#include "util/sha256.h"

namespace greenbench {
namespace {

bool valid_split_name(const std::string& split) {
  return split == "train" || split == "dev" || split == "test";
}

std::string join_path(const std::string& dir, const std::string& relative) {
  return (std::filesystem::path(dir) / relative).string();
}

}  // namespace

bool FileTask::has_split(const std::string& task_dir, const std::string& split) const {
  if (!valid_split_name(split)) return false;
  std::error_code error;
  for (const std::string& relative : split_paths(split)) {
    if (std::filesystem::exists(join_path(task_dir, relative), error)) return true;
  }
  return false;
}

Split FileTask::load_split(const std::string& task_dir, const std::string& split) const {
  if (!valid_split_name(split)) {
    throw Error(name() + ": unknown split '" + split + "' (expected train, dev or test)");
  }
  std::string tried;
  std::error_code error;
  for (const std::string& relative : split_paths(split)) {
    const std::string path = join_path(task_dir, relative);
    if (std::filesystem::exists(path, error)) {
      Split out;
      out.name = split;
      read_split(path, split, out);
      // A split without examples would train on nothing, or report an accuracy over nothing as a result.
      if (out.examples.empty()) {
        std::error_code size_error;
        const bool empty_file = std::filesystem::is_regular_file(path, size_error) &&
                                std::filesystem::file_size(path, size_error) == 0;
        throw Error(name() + ": " + path + (empty_file ? " is empty" : " holds no examples") +
                    "; the " + split + " split needs at least one labelled example");
      }
      return out;
    }
    tried += "\n  " + path;
  }
  throw DataMissingError(name() + ": no " + split + " split in " + task_dir + "; tried:" + tried +
                         "\nrun `greenbench data fetch " + name() + "` or pass --data DIR");
}

FileDigest::FileDigest(std::string path, std::string_view bytes)
    : path_(std::move(path)),
      digest_(std::async(std::launch::async, [bytes] { return sha256_hex(bytes); })) {}

void FileDigest::finish(Split& out) {
  out.files = {path_};
  out.sha256 = digest_.get();
}

int parse_int_label(std::string_view field, int first, int count, const std::string& file, long line) {
  std::string_view text = trim_ascii(field);
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty() || value < first ||
      value >= first + count) {
    throw DataFormatError(file, line,
                          "a label from " + std::to_string(first) + " to " +
                              std::to_string(first + count - 1) + ", found '" +
                              std::string(field.substr(0, 40)) + "'");
  }
  return value - first;
}

std::vector<std::string> nli_label_names() { return {"entailment", "neutral", "contradiction"}; }

void read_nli_jsonl(const std::string& path, Split& out) {
  const std::string bytes = read_whole_file(path);
  FileDigest digest(path, bytes);
  out.labelled = true;
  const std::vector<std::string> labels = nli_label_names();
  std::vector<JsonField> fields = {{"gold_label"}, {"sentence1"}, {"sentence2"}};
  const char* const kNames[] = {"gold_label", "sentence1", "sentence2"};

  LineReader lines(bytes);
  std::string_view line;
  size_t unlabelled = 0;
  while (lines.next(line)) {
    if (trim_ascii(line).empty()) continue;
    const std::string error = read_json_fields(line, fields);
    if (!error.empty()) throw DataFormatError(path, lines.line(), "a JSON object (" + error + ")");
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].kind != JsonField::Kind::kString) {
        throw DataFormatError(
            path, lines.line(),
            std::string("a string field \"") + kNames[i] + "\"" +
                (fields[i].kind == JsonField::Kind::kMissing ? " (missing)" : " (not a string)"));
      }
    }
    const std::string& gold = fields[0].value;
    if (gold == "-") {
      ++unlabelled;
      continue;
    }
    int label = -1;
    for (size_t i = 0; i < labels.size(); ++i) {
      if (gold == labels[i]) label = static_cast<int>(i);
    }
    if (label < 0) {
      throw DataFormatError(
          path, lines.line(),
          "gold_label entailment, neutral, contradiction or -, found '" + gold.substr(0, 40) + "'");
    }
    Example example;
    example.text_a = std::move(fields[1].value);
    example.text_b = std::move(fields[2].value);
    example.label = label;
    out.examples.push_back(std::move(example));
  }
  if (out.examples.empty() && unlabelled > 0) {
    throw Error(path + ": every one of its " + std::to_string(unlabelled) +
                " pairs has gold_label \"-\" (no annotator consensus), so none is labelled; a split needs at "
                "least one labelled example");
  }
  digest.finish(out);
}

}  // namespace greenbench
