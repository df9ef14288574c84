// What the five loaders share: finding a split among the file names of the
// shared and the canonical layouts, the "data missing" message, label parsing
// and the SNLI/MultiNLI JSONL reader.
#pragma once

#include <future>
#include <string>
#include <string_view>
#include <vector>

#include "greenbench/task.h"

namespace greenbench {

/// A task whose splits are files (or folders) at known paths in its folder.
/// load_split() tries split_paths() in order and reads the first that exists.
class FileTask : public Task {
 public:
  bool has_split(const std::string& task_dir, const std::string& split) const override;
  /// Throws DataMissingError listing every path tried and how to get the data,
  /// Error for a split name other than train, dev or test, and Error naming
  /// the file when it holds no examples (empty, or a header alone).
  Split load_split(const std::string& task_dir, const std::string& split) const override;

 protected:
  /// Paths, relative to the task folder, where `split` may lie, in the order tried.
  virtual std::vector<std::string> split_paths(const std::string& split) const = 0;
  /// Reads the file or folder at `path` (which exists) into `out`: examples,
  /// labelled, files and sha256. out.name is already set.
  virtual void read_split(const std::string& path, const std::string& split, Split& out) const = 0;
};

/// The sha256 of a file already read into memory, computed on another thread
/// so that hashing overlaps parsing (for the 30 MB IMDB file they take about
/// as long as each other). `bytes` must outlive the object.
class FileDigest {
 public:
  FileDigest(std::string path, std::string_view bytes);
  /// Waits for the digest; sets out.files to the one file and out.sha256.
  void finish(Split& out);

 private:
  std::string path_;
  std::future<std::string> digest_;
};

/// Parses a decimal label in [first, first + count) and returns it minus
/// `first`; throws DataFormatError(file, line, ...) naming the accepted values.
int parse_int_label(std::string_view field, int first, int count, const std::string& file, long line);

/// Reads SNLI / MultiNLI JSONL: one object a line with string fields
/// gold_label, sentence1 and sentence2 (others ignored). gold_label "-" (no
/// annotator consensus) is dropped; any label other than entailment, neutral,
/// contradiction is a DataFormatError. Blank lines are skipped. A file whose
/// every pair is "-" is an Error naming it: nothing in it is labelled.
void read_nli_jsonl(const std::string& path, Split& out);

/// The label names of SNLI and MultiNLI, in label-index order.
std::vector<std::string> nli_label_names();

}  // namespace greenbench
