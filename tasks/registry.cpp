// The task registry: names, factories and where each task comes from.
#include <utility>

#include "greenbench/error.h"
#include "greenbench/task.h"

namespace greenbench {
namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string describe_origin(const std::string& origin) {
  return origin.empty() ? "built in" : "from plugin " + origin;
}

}  // namespace

void TaskRegistry::add(Factory make, std::string origin) {
  const std::string from = origin.empty() ? "" : " from plugin " + origin;
  if (!make) throw Error("a task" + from + " has no factory");
  const std::unique_ptr<Task> probe = make();
  if (!probe) throw Error("a task factory" + from + " returned no task");
  const std::string name = probe->name();
  if (!valid_name(name))
    throw Error("task '" + name + "'" + from + ": the name must be lower-case letters, digits and '_', starting with a letter");
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] != name) continue;
    throw Error("task '" + name + "' is registered twice: first " + describe_origin(origins_[i]) + ", then " +
                describe_origin(origin));
  }
  names_.push_back(name);
  factories_.push_back(std::move(make));
  origins_.push_back(std::move(origin));
}

size_t TaskRegistry::index_of(const std::string& name) const {
  std::string known;
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
    known += (known.empty() ? "" : ", ") + names_[i];
  }
  throw Error("unknown task '" + name + "'; known tasks: " + known +
              " (a plugin's tasks are known once it is loaded with --plugin PATH)");
}

std::unique_ptr<Task> TaskRegistry::make(const std::string& name) const { return factories_[index_of(name)](); }

const TaskRegistry::Factory& TaskRegistry::factory(const std::string& name) const {
  return factories_[index_of(name)];
}

const std::string& TaskRegistry::origin(const std::string& name) const { return origins_[index_of(name)]; }

TaskRegistry& task_registry() {
  static TaskRegistry* registry = [] {
    auto* r = new TaskRegistry();
    register_builtin_tasks(*r);
    return r;
  }();
  return *registry;
}

std::vector<std::unique_ptr<Task>> registered_tasks() {
  std::vector<std::unique_ptr<Task>> tasks;
  for (const auto& name : task_registry().names()) tasks.push_back(task_registry().make(name));
  return tasks;
}

std::unique_ptr<Task> make_task(const std::string& name) { return task_registry().make(name); }

}  // namespace greenbench
