// The task interface: a dataset, its labels, its files and their roles.
// Kept small and stable: plugins and the runner see only this.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace greenbench {

/// One labelled instance. text_b is empty for single-sentence tasks.
struct Example {
  std::string text_a;
  std::string text_b;
  int label = -1;  ///< index into Task::label_names(); -1 when the file has no labels
};

/// The examples of one file (or one folder tree) and where they came from.
struct Split {
  std::string name;                 ///< "train", "dev" or "test"
  std::vector<std::string> files;   ///< the files read, in order
  std::string sha256;               ///< sha256 over the files read (one file: that file's sha256)
  std::vector<Example> examples;
  bool labelled = true;             ///< false when the file carries no gold labels
};

/// A canonical download: URL, its published sha256, and the archive's name.
struct DataSource {
  std::string url;
  std::string sha256;      ///< hex, lower case
  std::string file_name;   ///< name to store it under before unpacking
  bool is_archive = true;  ///< false: a plain file copied into the task folder
};

class Task {
 public:
  virtual ~Task() = default;
  /// Short identifier used on the command line and in records ("ag_news").
  virtual std::string name() const = 0;
  /// Human-readable name ("AG News").
  virtual std::string display_name() const = 0;
  virtual std::vector<std::string> label_names() const = 0;
  /// True for sentence-pair tasks (SNLI, MultiNLI).
  virtual bool is_pair() const = 0;
  /// Canonical distributions `greenbench data fetch` downloads.
  virtual std::vector<DataSource> sources() const = 0;
  /// True if `split` ("train", "dev", "test") can be read from task_dir.
  virtual bool has_split(const std::string& task_dir, const std::string& split) const = 0;
  /// Reads a split from task_dir (the task's folder, e.g. DATA/ag_news).
  /// Throws DataMissingError (names every path tried) or DataFormatError
  /// (file, line, what was expected).
  virtual Split load_split(const std::string& task_dir, const std::string& split) const = 0;
};

/// Every built-in task, in a fixed order (ag_news, imdb, sst2, snli, mnli).
std::vector<std::unique_ptr<Task>> builtin_tasks();
/// The built-in task called `name`; throws greenbench::Error listing the known names.
std::unique_ptr<Task> make_task(const std::string& name);

}  // namespace greenbench
