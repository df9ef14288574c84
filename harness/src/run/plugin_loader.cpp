#include "run/plugin_loader.h"

#include <dlfcn.h>

#include <algorithm>
#include <exception>
#include <filesystem>

#include "greenbench/error.h"
#include "greenbench/plugin.h"

namespace greenbench {
namespace {

namespace fs = std::filesystem;

std::string last_dl_error() {
  const char* text = dlerror();
  return text ? text : "no reason given";
}

// Looks `name` up in the plugin itself; null when it does not define it.
void* find_symbol(void* handle, const char* name) {
  dlerror();  // clears an earlier error, so a null result is read correctly
  return dlsym(handle, name);
}

// The methods `registry` already holds from the plugin at `file` (none when it
// has not been loaded into it). Compared by the file itself, so a symlink or
// another spelling of the same path counts as the same plugin.
std::vector<std::string> methods_from(const std::string& file, const MethodRegistry& registry) {
  std::vector<std::string> methods;
  std::error_code ec;
  for (const auto& info : registry.all()) {
    const std::string& origin = registry.origin(info.name);
    if (!origin.empty() && fs::equivalent(origin, file, ec)) methods.push_back(info.name);
  }
  return methods;
}

// The same for tasks.
std::vector<std::string> tasks_from(const std::string& file, const TaskRegistry& registry) {
  std::vector<std::string> tasks;
  std::error_code ec;
  for (const auto& name : registry.names()) {
    const std::string& origin = registry.origin(name);
    if (!origin.empty() && fs::equivalent(origin, file, ec)) tasks.push_back(name);
  }
  return tasks;
}

// Runs one of the plugin's registration functions, naming the plugin when it throws.
template <typename Register, typename Registry>
void run_registration(const std::string& who, Register register_function, Registry& staged) {
  try {
    register_function(staged);
  } catch (const std::exception& e) {
    throw Error(who + "its registration failed: " + e.what());
  } catch (...) {
    throw Error(who + "its registration failed with an exception that is not a std::exception");
  }
}

}  // namespace

LoadedPlugin load_plugin(const std::string& path, MethodRegistry& registry, TaskRegistry& task_registry) {
  // Absolute, so that dlopen opens this file and never searches the library path.
  const std::string file = fs::absolute(path).lexically_normal().string();
  const std::string who = "plugin " + file + ": ";
  std::error_code ec;
  if (!fs::exists(file, ec)) throw Error(who + "no such file");
  if (fs::is_directory(file, ec)) throw Error(who + "is a folder; expected a shared library (.so)");
  // Loaded once per registry: the CLI reads its --plugin options again after a
  // suite has set its defaults, and a second registration would clash with the first.
  {
    LoadedPlugin already{file, methods_from(file, registry), tasks_from(file, task_registry)};
    if (!already.methods.empty() || !already.tasks.empty()) return already;
  }

  // RTLD_NOW: a plugin needing a symbol this greenbench lacks fails here, not
  // mid-run. RTLD_LOCAL: two plugins' own symbols cannot collide. The handle
  // is never closed, on success (the methods' code lives in it) or refusal
  // (closing a library whose static initialisers registered anything with
  // LibTorch can leave dangling entries behind).
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const std::string reason = last_dl_error();
    std::string message = who + "cannot be loaded as a shared library: " + reason;
    if (reason.find("undefined symbol") != std::string::npos)
      message += " (it was built against another greenbench, or against LibTorch of another version; rebuild it "
                 "against this one)";
    throw Error(message);
  }

  auto* version = reinterpret_cast<PluginApiVersionFunction>(find_symbol(handle, kPluginApiVersionSymbol));
  if (!version)
    throw Error(who + "not a greenbench plugin: no " + kPluginApiVersionSymbol +
                " (a plugin defines it with GREENBENCH_PLUGIN(...) from greenbench/plugin.h)");
  const int plugin_version = version();
  if (plugin_version != GREENBENCH_PLUGIN_API_VERSION)
    throw Error(who + "built for plugin API " + std::to_string(plugin_version) + ", this greenbench speaks " +
                std::to_string(GREENBENCH_PLUGIN_API_VERSION) + "; rebuild it against this greenbench");
  auto* register_methods = reinterpret_cast<PluginRegisterFunction>(find_symbol(handle, kPluginRegisterSymbol));
  if (!register_methods)
    throw Error(who + "not a greenbench plugin: no " + kPluginRegisterSymbol +
                " (a plugin defines it with GREENBENCH_PLUGIN(...) from greenbench/plugin.h)");

  // The plugin registers into a registry of its own first, so that a refusal
  // leaves `registry` as it was.
  MethodRegistry staged;
  run_registration(who, register_methods, staged);
  TaskRegistry staged_tasks;
  if (auto* register_tasks =
          reinterpret_cast<PluginRegisterTasksFunction>(find_symbol(handle, kPluginRegisterTasksSymbol)))
    run_registration(who, register_tasks, staged_tasks);
  if (staged.all().empty() && staged_tasks.names().empty()) throw Error(who + "registered no methods and no tasks");
  for (const auto& info : staged.all()) {
    for (const auto& existing : registry.all()) {
      if (existing.name != info.name) continue;
      const std::string& origin = registry.origin(info.name);
      throw Error(who + "its method '" + info.name + "' clashes with the one already registered " +
                  (origin.empty() ? "(built in)" : "from plugin " + origin) + "; rename it in the plugin");
    }
  }

  for (const auto& name : staged_tasks.names()) {
    if (std::find(task_registry.names().begin(), task_registry.names().end(), name) == task_registry.names().end())
      continue;
    const std::string& origin = task_registry.origin(name);
    throw Error(who + "its task '" + name + "' clashes with the one already registered " +
                (origin.empty() ? "(built in)" : "from plugin " + origin) + "; rename it in the plugin");
  }

  LoadedPlugin loaded{file, {}, {}};
  for (const auto& info : staged.all()) {
    loaded.methods.push_back(info.name);
    registry.add(info, file);
  }
  for (const auto& name : staged_tasks.names()) {
    loaded.tasks.push_back(name);
    task_registry.add(staged_tasks.factory(name), file);
  }
  return loaded;
}

}  // namespace greenbench
