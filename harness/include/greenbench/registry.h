// The method registry. Built-in methods are registered by explicit calls from
// a generated file (cmake/GreenbenchMethods.cmake), never by static
// initialisers the linker could drop; out-of-tree ones by plugins
// (greenbench/plugin.h) loaded with --plugin.
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
  /// The method whose trained model others build on (MethodContext::base_model):
  /// exactly one registered method says so; it implements provide_base_model().
  bool provides_base_model = false;
};

class MethodRegistry {
 public:
  /// `origin` says where the method comes from: empty for a built-in one, else
  /// the plugin file. Throws greenbench::Error on a duplicate name (naming
  /// both origins) and on an entry the harness cannot use: a name that is not
  /// lower-case letters, digits and '_' starting with a letter (it becomes
  /// part of record file names), a family other than "method" or "baseline",
  /// defaults that are not a JSON object, or no `make`.
  void add(MethodInfo info, std::string origin = "");
  /// Throws greenbench::Error listing the known names.
  const MethodInfo& get(const std::string& name) const;
  /// Where `name` comes from: empty for a built-in method, else the plugin
  /// file. Throws like get().
  const std::string& origin(const std::string& name) const;
  const std::vector<MethodInfo>& all() const { return methods_; }
  /// The method that provides the base model; throws greenbench::Error when none does.
  const MethodInfo& base_model_provider() const;

 private:
  std::vector<MethodInfo> methods_;
  std::vector<std::string> origins_;  ///< parallel to methods_
};

/// Generated: calls every built-in folder's register_method_<name>.
void register_builtin_methods(MethodRegistry& registry);

/// The process-wide registry with the built-in methods in it.
MethodRegistry& method_registry();

}  // namespace greenbench
