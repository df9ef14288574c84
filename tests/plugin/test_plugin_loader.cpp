// The plugin loader. Every refusal names the file, says why, and leaves the
// registry as it was: no such file, a folder, a text file named .so, a
// library that is not a plugin, one built for another API version, one whose
// registration throws or adds nothing, and a method name already taken. A
// good plugin adds its method with the family it gave and its file as origin,
// and that method trains, calibrates and is evaluated by the runner in this
// process. The test plugins are built by tests.cmake.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "greenbench/error.h"
#include "greenbench/plugin.h"
#include "greenbench/registry.h"
#include "run/plugin_loader.h"
#include "run/runner.h"
#include "support/temp_dir.h"
#include "util/progress.h"

using namespace greenbench;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// The message load_plugin refuses `path` with; fails the test if it loads.
std::string refusal(const std::string& path, MethodRegistry& registry) {
  try {
    TaskRegistry tasks;
    load_plugin(path, registry, tasks);
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("load_plugin(" << path << ") did not refuse");
  return "";
}

MethodRegistry with_builtins() {
  MethodRegistry registry;
  register_builtin_methods(registry);
  return registry;
}

std::vector<std::string> names(const MethodRegistry& registry) {
  std::vector<std::string> out;
  for (const auto& m : registry.all()) out.push_back(m.name);
  return out;
}

// Refused with `reason`, naming the file, registry unchanged.
void check_refused(const std::string& path, const std::string& reason) {
  MethodRegistry registry = with_builtins();
  const auto before = names(registry);
  const std::string message = refusal(path, registry);
  INFO(message);
  CHECK_THAT(message, Contains("plugin " + fs::absolute(path).lexically_normal().string() + ": "));
  CHECK_THAT(message, Contains(reason));
  CHECK(names(registry) == before);
}

}  // namespace

TEST_CASE("a missing plugin file is refused: no such file", "[plugin]") {
  testing::TempDir dir("plugin");
  check_refused(dir / "absent.so", "no such file");
}

TEST_CASE("a folder given as a plugin is refused", "[plugin]") {
  testing::TempDir dir("plugin");
  check_refused(dir.path(), "is a folder; expected a shared library (.so)");
}

TEST_CASE("a text file named .so is refused with the dynamic loader's reason", "[plugin]") {
  testing::TempDir dir("plugin");
  // Longer than an ELF header, so the loader reads it and reports the header.
  testing::write_file(dir / "notes.so", std::string(200, 'x') + "\nthis is a text file, not a shared library\n");
  check_refused(dir / "notes.so", "cannot be loaded as a shared library: ");
  check_refused(dir / "notes.so", "invalid ELF header");
}

TEST_CASE("a shared library without the entry points is refused: not a greenbench plugin", "[plugin]") {
  check_refused(TEST_PLUGIN_NO_SYMBOLS, "not a greenbench plugin: no greenbench_plugin_api_version");
}

TEST_CASE("a plugin built for another plugin API version is refused with both versions", "[plugin]") {
  // Its register function aborts, so this also shows that it is never called.
  const int other = GREENBENCH_PLUGIN_API_VERSION + 6;
  check_refused(TEST_PLUGIN_WRONG_VERSION, "built for plugin API " + std::to_string(other) +
                                               ", this greenbench speaks " +
                                               std::to_string(GREENBENCH_PLUGIN_API_VERSION) +
                                               "; rebuild it against this greenbench");
}

TEST_CASE("a plugin whose registration throws is refused with its message", "[plugin]") {
  check_refused(TEST_PLUGIN_THROWING_REGISTRATION, "its registration failed: the probe's lookup table is missing");
}

TEST_CASE("a plugin that registers neither a method nor a task is refused", "[plugin]") {
  check_refused(TEST_PLUGIN_EMPTY_REGISTRATION, "registered no methods and no tasks");
}

TEST_CASE("a good plugin adds its method with its family, marked as coming from its file", "[plugin]") {
  MethodRegistry registry = with_builtins();
  TaskRegistry tasks;
  const size_t builtin_count = registry.all().size();
  const LoadedPlugin loaded = load_plugin(TEST_PLUGIN_GOOD, registry, tasks);
  const std::string file = fs::absolute(TEST_PLUGIN_GOOD).lexically_normal().string();
  CHECK(loaded.path == file);
  CHECK(loaded.methods == std::vector<std::string>{"plugin_probe"});
  CHECK(loaded.tasks == std::vector<std::string>{"plugin_lines"});
  REQUIRE(registry.all().size() == builtin_count + 1);
  const MethodInfo& info = registry.get("plugin_probe");
  CHECK(info.family == "baseline");
  CHECK(info.default_config == nlohmann::json{{"probe", true}});
  CHECK(registry.origin("plugin_probe") == file);
  CHECK(registry.origin("standard").empty());
  auto method = info.make();
  REQUIRE(method != nullptr);
  CHECK(method->operating_points().size() == 1);
}

TEST_CASE("a plugin's task is registered, marked as coming from its file, and reads its data", "[plugin]") {
  MethodRegistry registry = with_builtins();
  TaskRegistry tasks;
  register_builtin_tasks(tasks);
  const size_t builtin_count = tasks.names().size();
  load_plugin(TEST_PLUGIN_GOOD, registry, tasks);
  const std::string file = fs::absolute(TEST_PLUGIN_GOOD).lexically_normal().string();
  REQUIRE(tasks.names().size() == builtin_count + 1);
  CHECK(tasks.names().back() == "plugin_lines");
  CHECK(tasks.origin("plugin_lines") == file);
  CHECK(tasks.origin("sst2").empty());
  testing::TempDir dir("plugin-task");
  testing::write_file(dir / "train.tsv", "a fine day\t1\na grey day\t0\n");
  const auto task = tasks.make("plugin_lines");
  CHECK(task->has_split(dir.path(), "train"));
  CHECK_FALSE(task->has_split(dir.path(), "dev"));
  const Split split = task->load_split(dir.path(), "train");
  REQUIRE(split.examples.size() == 2);
  CHECK(split.examples[1].text_a == "a grey day");
  CHECK(split.examples[1].label == 0);

  SECTION("a plugin task whose name is taken is refused, both registries unchanged") {
    testing::TempDir copies("plugin");
    fs::copy_file(file, copies / "copy.so");
    MethodRegistry fresh = with_builtins();  // its method is new here; its task is not
    const auto names_before = tasks.names();
    try {
      load_plugin(copies / "copy.so", fresh, tasks);
      FAIL("the clashing task was accepted");
    } catch (const Error& e) {
      CHECK_THAT(e.what(), Contains("its task 'plugin_lines' clashes with the one already registered from plugin " + file));
    }
    CHECK(tasks.names() == names_before);
    CHECK_THROWS_AS(fresh.get("plugin_probe"), Error);
  }
}

TEST_CASE("the same plugin file given twice is loaded once", "[plugin]") {
  const std::string file = fs::absolute(TEST_PLUGIN_GOOD).lexically_normal().string();
  testing::TempDir dir("plugin");
  // Another spelling of the same file: through a symlink.
  fs::create_symlink(file, dir / "link.so");
  MethodRegistry registry = with_builtins();
  TaskRegistry tasks;
  load_plugin(TEST_PLUGIN_GOOD, registry, tasks);
  const auto before = names(registry);
  for (const std::string& again : {std::string(TEST_PLUGIN_GOOD), dir / "link.so"}) {
    INFO(again);
    const LoadedPlugin loaded = load_plugin(again, registry, tasks);
    CHECK(loaded.methods == std::vector<std::string>{"plugin_probe"});
    CHECK(names(registry) == before);
    CHECK(registry.origin("plugin_probe") == file);
  }
}

TEST_CASE("a plugin method whose name is taken is refused, naming where the first came from", "[plugin]") {
  const std::string file = fs::absolute(TEST_PLUGIN_GOOD).lexically_normal().string();
  SECTION("by another plugin file") {
    testing::TempDir dir("plugin");
    fs::copy_file(file, dir / "copy.so");
    MethodRegistry registry = with_builtins();
    TaskRegistry tasks;
    load_plugin(TEST_PLUGIN_GOOD, registry, tasks);
    const auto before = names(registry);
    const std::string message = refusal(dir / "copy.so", registry);
    INFO(message);
    CHECK_THAT(message, Contains("its method 'plugin_probe' clashes with the one already registered from plugin " +
                                 file + "; rename it in the plugin"));
    CHECK(names(registry) == before);
  }
  SECTION("by a built-in method") {
    MethodRegistry registry = with_builtins();
    MethodInfo taken = registry.get("standard");
    taken.name = "plugin_probe";
    taken.provides_base_model = false;  // a copy of the standard one, which alone provides it
    registry.add(taken);
    const auto before = names(registry);
    const std::string message = refusal(TEST_PLUGIN_GOOD, registry);
    INFO(message);
    CHECK_THAT(message, Contains("its method 'plugin_probe' clashes with the one already registered (built in)"));
    CHECK(names(registry) == before);
  }
}

TEST_CASE("a plugin's method trains and is evaluated by the runner, which records its family", "[plugin]") {
  torch::set_num_threads(1);
  ProgressBar::set_enabled(false);
  load_plugin(TEST_PLUGIN_GOOD, method_registry(), task_registry());

  testing::TempDir dir("plugin-run");
  std::string train = "sentence\tlabel\n", dev = train;
  for (int i = 0; i < 80; ++i) {
    const std::string row = std::string(i % 2 ? "a good film" : "a bad film") + " number " + std::to_string(i) +
                            "\t" + (i % 2 ? "1" : "0") + "\n";
    (i < 60 ? train : dev) += row;
  }
  testing::write_file(dir / "data/sst2/train.tsv", train);
  testing::write_file(dir / "data/sst2/dev.tsv", dev);
  RunSettings settings;
  settings.data_root = dir / "data";
  settings.results_dir = dir / "results";
  settings.cache_dir = dir / "cache";
  settings.model_size = "tiny";
  settings.num_layers = 2;
  settings.max_len = 16;
  settings.vocab_size = 100;
  settings.threads = 1;
  settings.train.epochs = 1;
  settings.train.batch_size = 16;
  settings.measure.latency_instances = 5;

  PreparedTask prepared = prepare_task("sst2", settings);
  const nlohmann::json record = run_method(prepared, "plugin_probe", nlohmann::json::object(), settings);
  CHECK(record.at("method").at("name") == "plugin_probe");
  CHECK(record.at("method").at("family") == "baseline");
  CHECK(record.at("method").at("config") == nlohmann::json{{"probe", true}});
  REQUIRE(record.at("operating_points").size() == 1);
  const auto& point = record["operating_points"][0];
  CHECK(point.at("name") == "full");
  // The harness counted the FLOPs from the path the plugin reported.
  CHECK(point.at("flops_per_instance").get<double>() > 0);
  CHECK(fs::exists(record.at("path").get<std::string>()));
}
