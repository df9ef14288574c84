// Loads out-of-tree methods: a shared library built against the installed
// greenbench headers that defines GREENBENCH_PLUGIN(...) (greenbench/plugin.h).
#pragma once

#include <string>
#include <vector>

#include "greenbench/registry.h"
#include "greenbench/task.h"

namespace greenbench {

/// What a loaded plugin added.
struct LoadedPlugin {
  std::string path;                  ///< absolute path of the file loaded
  std::vector<std::string> methods;  ///< the names it registered, in its order
  std::vector<std::string> tasks;    ///< the tasks it registered (GREENBENCH_PLUGIN_TASKS), in its order
};

/// Opens the plugin at `path`, checks its API version and adds its methods to
/// `registry` and its tasks, if it has any, to `tasks`, each marked as coming
/// from it (MethodRegistry::origin, TaskRegistry::origin). All or nothing: on
/// refusal both registries are unchanged. Throws greenbench::Error
/// naming the file and why: no such file, not a loadable shared library (the
/// loader's own text), not a greenbench plugin (a symbol missing), built for
/// another plugin API version, its registration failing, neither methods nor
/// tasks, or a method or task that is malformed or whose name is already registered.
///
/// A plugin already loaded into `registry` (the same file, however its path is
/// spelled) is not loaded again: the methods it added are returned.
///
/// A loaded plugin is never unloaded: its methods' code lives in it.
LoadedPlugin load_plugin(const std::string& path, MethodRegistry& registry, TaskRegistry& tasks);

}  // namespace greenbench
