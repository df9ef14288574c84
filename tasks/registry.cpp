// The built-in tasks, listed explicitly so none can be dropped by the linker.
#include <stdexcept>

#include "greenbench/task.h"
#include "task_factories.h"
#include "util/error.h"

namespace greenbench {

std::vector<std::unique_ptr<Task>> builtin_tasks() {
  std::vector<std::unique_ptr<Task>> tasks;
  tasks.push_back(make_ag_news_task());
  tasks.push_back(make_imdb_task());
  tasks.push_back(make_sst2_task());
  tasks.push_back(make_snli_task());
  tasks.push_back(make_mnli_task());
  return tasks;
}

std::unique_ptr<Task> make_task(const std::string& name) {
  std::string known;
  for (auto& task : builtin_tasks()) {
    if (task->name() == name) return std::move(task);
    known += (known.empty() ? "" : ", ") + task->name();
  }
  throw Error("unknown task '" + name + "'; known tasks: " + known);
}

}  // namespace greenbench
