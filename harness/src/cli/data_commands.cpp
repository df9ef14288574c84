#include "cli/data_commands.h"

#include <cstdio>

#include "cli/settings_options.h"
#include "data/fetch.h"
#include "data/roles.h"
#include "greenbench/task.h"

namespace greenbench {
namespace {

int list_tasks(const std::string& data_flag) {
  const std::string root = resolve_data_root(data_flag);
  std::printf("data folder: %s\n\n", root.c_str());
  std::printf("%-8s %-10s %-42s %s\n", "task", "name", "labels", "splits found");
  for (const auto& task : registered_tasks()) {
    std::string labels, found;
    for (const auto& l : task->label_names()) labels += (labels.empty() ? "" : ", ") + l;
    const std::string dir = root + "/" + task->name();
    for (const char* split : {"train", "dev", "test"}) {
      if (task->has_split(dir, split)) found += std::string(found.empty() ? "" : " ") + split;
    }
    if (found.empty()) found = "none (greenbench data fetch " + task->name() + ")";
    std::printf("%-8s %-10s %-42s %s\n", task->name().c_str(), task->display_name().c_str(), labels.c_str(), found.c_str());
  }
  return 0;
}

std::vector<std::string> expand_tasks(const std::vector<std::string>& names) {
  if (names.empty() || (names.size() == 1 && names[0] == "all")) return task_registry().names();
  for (const auto& n : names) make_task(n);  // validates early, with the list of known tasks
  return names;
}

class DataCommands : public CommandGroup {
 public:
  explicit DataCommands(CLI::App& app) {
    tasks_ = app.add_subcommand("tasks", "list the tasks and which of their splits the data folder has");
    add_data_option(*tasks_, data_flag_);
    auto* data = app.add_subcommand("data", "manage datasets");
    data->require_subcommand(1);
    fetch_ = data->add_subcommand("fetch", "download a task's canonical archives, check sha256, unpack");
    fetch_->add_option("task", fetch_task_, "task name, or 'all'")->required();
    add_data_option(*fetch_, data_flag_);
  }

  bool parsed() const override { return tasks_->parsed() || fetch_->parsed(); }

  int run(const std::vector<std::string>&) override {
    if (tasks_->parsed()) return list_tasks(data_flag_);
    const std::string root = resolve_data_root(data_flag_);
    for (const auto& name : expand_tasks({fetch_task_})) fetch_task_data(*make_task(name), root, FetchOptions{});
    return 0;
  }

 private:
  CLI::App* tasks_ = nullptr;
  CLI::App* fetch_ = nullptr;
  std::string data_flag_, fetch_task_;
};

}  // namespace

std::unique_ptr<CommandGroup> add_data_commands(CLI::App& app) { return std::make_unique<DataCommands>(app); }

}  // namespace greenbench
