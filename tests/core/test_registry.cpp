// The method registry: every method and baseline folder in the source tree is
// registered under the folder's name with the matching family, and an unknown
// name fails with the list of known ones.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <utility>
#include <vector>

#include "greenbench/bert/base_model.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"

using namespace greenbench;
namespace fs = std::filesystem;

namespace {
// Sub-folders of `root` that hold a CMakeLists.txt.
std::vector<std::string> method_folders(const fs::path& root) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory() && fs::exists(entry.path() / "CMakeLists.txt")) names.push_back(entry.path().filename());
  }
  return names;
}
}  // namespace

TEST_CASE("every folder under methods/ and baselines/ is registered under its name", "[registry]") {
  const fs::path source(GREENBENCH_SOURCE_DIR);
  std::set<std::string> folders;
  const std::vector<std::pair<std::string, std::string>> roots = {{"methods", "method"}, {"baselines", "baseline"}};
  for (const auto& [dir, family] : roots) {
    const auto names = method_folders(source / dir);
    CHECK(!names.empty());
    for (const auto& name : names) {
      INFO(dir << "/" << name);
      folders.insert(name);
      const MethodInfo* info = nullptr;
      REQUIRE_NOTHROW(info = &method_registry().get(name));
      CHECK(info->name == name);
      CHECK(info->family == family);
      CHECK(!info->description.empty());
      CHECK(info->default_config.is_object());
      auto method = info->make();
      CHECK(method != nullptr);
    }
  }
  for (const char* expected : {"standard", "truncated", "early_exit"}) CHECK(folders.count(expected) == 1);
  // And nothing is registered that has no folder.
  for (const auto& m : method_registry().all()) {
    INFO(m.name);
    CHECK(folders.count(m.name) == 1);
  }
}

TEST_CASE("an unknown method name throws an Error that lists the known names", "[registry]") {
  try {
    method_registry().get("nope");
    FAIL("get(\"nope\") did not throw");
  } catch (const Error& e) {
    const std::string message = e.what();
    CHECK(message.find("nope") != std::string::npos);
    for (const auto& m : method_registry().all()) {
      INFO(m.name);
      CHECK(message.find(m.name) != std::string::npos);
    }
  }
}

TEST_CASE("registering a name twice is refused", "[registry]") {
  MethodRegistry registry;
  register_builtin_methods(registry);
  CHECK(registry.all().size() == method_registry().all().size());
  MethodInfo copy = registry.get("standard");
  CHECK_THROWS_AS(registry.add(copy), Error);
}

TEST_CASE("exactly one method provides the base model, and the harness asks it by that flag", "[registry]") {
  // Built in, the standard model is the one others build on.
  CHECK(method_registry().base_model_provider().name == "standard");
  int providers = 0;
  for (const auto& m : method_registry().all()) providers += m.provides_base_model ? 1 : 0;
  CHECK(providers == 1);

  // A second provider is refused, naming the first.
  MethodRegistry registry;
  register_builtin_methods(registry);
  MethodInfo second = registry.get("truncated");
  second.name = "another_base";
  second.provides_base_model = true;
  CHECK_THROWS_WITH(registry.add(second), Catch::Contains("'standard'") && Catch::Contains("already does"));

  // With none registered, asking for it is a clear error, not a crash.
  MethodRegistry empty;
  CHECK_THROWS_WITH(empty.base_model_provider(), Catch::Contains("no registered method provides the base model"));

  // A method that is not the provider refuses to hand over a model.
  CHECK_THROWS_AS(method_registry().get("bow").make()->provide_base_model(), Error);
}

TEST_CASE("methods say whether they read training overrides from their config", "[registry]") {
  // The exit-classifier engine's methods and distillation read "train"; bow does not.
  for (const char* name : {"standard", "truncated", "early_exit", "quantize", "distill"}) {
    INFO(name);
    CHECK(method_registry().get(name).make()->takes_train_overrides());
  }
  CHECK_FALSE(method_registry().get("bow").make()->takes_train_overrides());
}
