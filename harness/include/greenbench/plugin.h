// The out-of-tree plugin ABI. A plugin is a shared library built against the
// installed greenbench headers; it writes, once, in one source file,
//
//   void register_my_methods(greenbench::MethodRegistry& registry) { registry.add({...}); }
//   GREENBENCH_PLUGIN(register_my_methods)
//
// and, when it brings tasks too (optional),
//
//   void register_my_tasks(greenbench::TaskRegistry& registry) { registry.add([] { return ...; }); }
//   GREENBENCH_PLUGIN_TASKS(register_my_tasks)
//
// and is loaded with `greenbench --plugin path.so`. The loader
// (run/plugin_loader.h) asks the plugin which API version it was compiled
// against before calling anything else, and refuses a mismatch: Method and
// MethodRegistry are C++ classes, so a plugin built against other headers
// would call into the wrong layout.
#pragma once

#include "greenbench/registry.h"
#include "greenbench/task.h"

/// The plugin API this greenbench speaks. Bumped whenever a change to the
/// installed headers breaks plugins built against the old ones (a Method
/// virtual added or reordered, a struct the plugin sees changing layout).
#define GREENBENCH_PLUGIN_API_VERSION 2

namespace greenbench {

/// The unmangled (extern "C") names the loader looks up.
inline constexpr const char* kPluginApiVersionSymbol = "greenbench_plugin_api_version";
inline constexpr const char* kPluginRegisterSymbol = "greenbench_plugin_register";
inline constexpr const char* kPluginRegisterTasksSymbol = "greenbench_plugin_register_tasks";  ///< optional

using PluginApiVersionFunction = int (*)();
using PluginRegisterFunction = void (*)(MethodRegistry&);
using PluginRegisterTasksFunction = void (*)(TaskRegistry&);

}  // namespace greenbench

/// Defines the plugin's two entry points; `register_function` is a function
/// `void(greenbench::MethodRegistry&)` that adds the plugin's methods. Use once
/// per plugin. Default visibility, so they stay visible under -fvisibility=hidden.
#define GREENBENCH_PLUGIN(register_function)                                                     \
  extern "C" __attribute__((visibility("default"))) int greenbench_plugin_api_version() {        \
    return GREENBENCH_PLUGIN_API_VERSION;                                                        \
  }                                                                                              \
  extern "C" __attribute__((visibility("default"))) void greenbench_plugin_register(             \
      ::greenbench::MethodRegistry& registry) {                                                  \
    register_function(registry);                                                                 \
  }

/// Defines the plugin's optional task entry point; `register_function` is a
/// function `void(greenbench::TaskRegistry&)` that adds the plugin's tasks.
/// Use at most once per plugin, beside GREENBENCH_PLUGIN.
#define GREENBENCH_PLUGIN_TASKS(register_function)                                               \
  extern "C" __attribute__((visibility("default"))) void greenbench_plugin_register_tasks(       \
      ::greenbench::TaskRegistry& registry) {                                                    \
    register_function(registry);                                                                 \
  }
