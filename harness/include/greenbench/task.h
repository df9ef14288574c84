// The task interface: a dataset, its labels, its files and their roles.
// Kept small and stable: plugins and the runner see only this.
#pragma once

#include <cstdint>
#include <functional>
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

/// The task registry. Built-in tasks (one folder each under tasks/) are
/// registered by explicit calls from a generated file (cmake/GreenbenchTasks.cmake),
/// a plugin's by GREENBENCH_PLUGIN_TASKS (greenbench/plugin.h).
class TaskRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Task>()>;
  /// Adds the task `make` builds, under its name(). `origin`: empty for a
  /// built-in task, else the plugin file. Throws greenbench::Error on a
  /// duplicate name (naming both origins), on a name that is not lower-case
  /// letters, digits and '_' starting with a letter (it names data folders
  /// and record files), and on no factory or one that returns nothing.
  void add(Factory make, std::string origin = "");
  /// A new instance of task `name`; throws greenbench::Error listing the known names.
  std::unique_ptr<Task> make(const std::string& name) const;
  /// Every registered name: the built-in ones in a fixed order, then plugins'.
  const std::vector<std::string>& names() const { return names_; }
  /// The factory registered for `name`; throws like make().
  const Factory& factory(const std::string& name) const;
  /// Where `name` comes from: empty when built in, else the plugin file.
  const std::string& origin(const std::string& name) const;

 private:
  size_t index_of(const std::string& name) const;
  std::vector<std::string> names_;
  std::vector<Factory> factories_;  ///< parallel to names_
  std::vector<std::string> origins_;
};

/// Generated: calls every built-in task folder's register_task_<name>.
void register_builtin_tasks(TaskRegistry& registry);

/// The process-wide registry with the built-in tasks in it.
TaskRegistry& task_registry();

/// Every registered task, in the registry's order (built in: ag_news, imdb, sst2, snli, mnli).
std::vector<std::unique_ptr<Task>> registered_tasks();
/// The registered task called `name`; throws greenbench::Error listing the known names.
std::unique_ptr<Task> make_task(const std::string& name);

}  // namespace greenbench
