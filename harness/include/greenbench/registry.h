// The method registry. Built-in methods are registered by explicit calls from
// a generated file (cmake/GreenbenchMethods.cmake), never by static
// initialisers the linker could drop.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "greenbench/method.h"

namespace greenbench {

struct MethodInfo {
  std::string name;         ///< command-line name ("early_exit")
  std::string family;       ///< "method" (under test) or "baseline"
  std::string description;  ///< one line for `greenbench methods`
  nlohmann::json default_config;
  std::function<std::unique_ptr<Method>()> make;
};

class MethodRegistry {
 public:
  /// Throws greenbench::Error on a duplicate name.
  void add(MethodInfo info);
  /// Throws greenbench::Error listing the known names.
  const MethodInfo& get(const std::string& name) const;
  const std::vector<MethodInfo>& all() const { return methods_; }

 private:
  std::vector<MethodInfo> methods_;
};

/// Generated: calls every built-in folder's register_method_<name>.
void register_builtin_methods(MethodRegistry& registry);

/// The process-wide registry with the built-in methods in it.
MethodRegistry& method_registry();

}  // namespace greenbench
