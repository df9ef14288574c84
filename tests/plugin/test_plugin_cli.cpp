// --plugin on the command line: given before or after the subcommand, the
// plugin's methods are listed by `greenbench methods` with the file they came
// from; a plugin the loader refuses stops the command with its reason; --help
// explains the option; a suite naming a plugin's method runs it through
// `run --suite`, `bench` and `sweep` (tiny data and model, seconds each).
// Skipped (with a warning) when the greenbench target has not been built.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "support/run_command.h"
#include "support/temp_dir.h"

using namespace greenbench::testing;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

const std::string kBinary = std::string(GREENBENCH_BINARY_DIR) + "/greenbench";

bool have_binary() {
  if (fs::exists(kBinary)) return true;
  WARN("skipped: " << kBinary << " not built (ninja -C BUILD greenbench)");
  return false;
}

CommandResult run_greenbench(const std::string& args) {
  TempDir cwd("plugin-cli");
  return run_command("'" + kBinary + "' " + args, cwd.path());
}

const std::string kGood = fs::absolute(TEST_PLUGIN_GOOD).lexically_normal().string();

// A folder with SST-2 data (each label carried by one word) and a suite that
// runs the good plugin's method on it with the smallest model and roles.
struct PluginSuite {
  TempDir dir{"plugin-suite"};
  std::string data = dir / "data", results = dir / "results", suite = dir / "suite.json";
  PluginSuite() {
    for (const auto& [split, rows] : {std::pair<std::string, int>{"train", 60}, {"dev", 20}}) {
      std::string tsv = "sentence\tlabel\n";
      for (int i = 0; i < rows; ++i) tsv += std::string(i % 2 ? "a good film " : "a bad film ") + std::to_string(i) + "\t" + std::to_string(i % 2) + "\n";
      write_file(data + "/sst2/" + split + ".tsv", tsv);
    }
    const nlohmann::json suite_json = {
        {"name", "plugin-probe"}, {"version", "1"}, {"tasks", {"sst2"}},
        {"settings", {{"size", "tiny"}, {"layers", 1}, {"max_len", 16}, {"vocab_size", 100}, {"epochs", 1},
                      {"batch_size", 16}, {"max_train", 40}, {"max_calibration", 10}, {"max_test", 10},
                      {"threads", 1}, {"latency_instances", 2}}},
        {"seeds", {13}},
        {"methods", {{{"method", "plugin_probe"}}}},
        {"search", {{"trials", 1}, {"space", {{"lr", {{"log_uniform", {0.001, 0.002}}}}}}}}};
    write_file(suite, suite_json.dump(2));
  }
  std::string where() const { return " --data '" + data + "' --results '" + results + "' --cache '" + dir / "cache" + "'"; }
  // The records written, each with the plugin's method and its file as origin.
  std::vector<nlohmann::json> records() const {
    std::vector<nlohmann::json> out;
    if (!fs::exists(results)) return out;
    for (const auto& e : fs::recursive_directory_iterator(results)) {
      if (e.path().extension() == ".json") out.push_back(nlohmann::json::parse(std::ifstream(e.path())));
    }
    return out;
  }
};

}  // namespace

TEST_CASE("greenbench --plugin PATH methods lists the plugin's method with its family and file", "[plugin][cli]") {
  if (!have_binary()) return;
  for (const std::string& args : {"--plugin " + kGood + " methods", "methods --plugin " + kGood}) {
    INFO(args);
    CommandResult r = run_greenbench(args);
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(std::regex_search(r.output, std::regex("(^|\n)plugin_probe +baseline +test plugin")));
    CHECK_THAT(r.output, Contains("from plugin: " + kGood));
    for (const char* builtin : {"standard", "truncated", "early_exit"}) CHECK_THAT(r.output, Contains(builtin));
  }
}

TEST_CASE("greenbench with a plugin the loader refuses stops with the loader's reason", "[plugin][cli]") {
  if (!have_binary()) return;
  CommandResult not_plugin = run_greenbench("--plugin " + std::string(TEST_PLUGIN_NO_SYMBOLS) + " methods");
  INFO(not_plugin.output);
  CHECK(not_plugin.status != 0);
  CHECK_THAT(not_plugin.output, Contains("not a greenbench plugin: no greenbench_plugin_api_version"));
  // It stopped before the subcommand ran: nothing was listed.
  CHECK(not_plugin.output.find("early_exit") == std::string::npos);

  // The same file twice is loaded once; another file with the same method clashes.
  CommandResult twice = run_greenbench("--plugin " + kGood + " --plugin " + kGood + " methods");
  INFO(twice.output);
  CHECK(twice.status == 0);
  CHECK(std::regex_search(twice.output, std::regex("(^|\n)plugin_probe ")));
  CHECK(twice.output.find("plugin_probe", twice.output.find("plugin_probe") + 1) == std::string::npos);
  TempDir dir("plugin-cli");
  fs::copy_file(kGood, dir / "copy.so");
  CommandResult clash = run_greenbench("--plugin " + kGood + " --plugin " + dir / "copy.so" + " methods");
  INFO(clash.output);
  CHECK(clash.status != 0);
  CHECK_THAT(clash.output, Contains("clashes with the one already registered from plugin " + kGood));
}

TEST_CASE("greenbench --help explains --plugin", "[plugin][cli]") {
  if (!have_binary()) return;
  CommandResult r = run_greenbench("--help");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK_THAT(r.output, Contains("--plugin"));
  CHECK_THAT(r.output, Contains("repeatable"));
}

TEST_CASE("greenbench --plugin runs a suite naming the plugin's method: run --suite, bench and sweep", "[plugin][cli]") {
  if (!have_binary()) return;
  for (const std::string command : {"run --suite", "bench --site '' --suite", "sweep --trials 1 --suite"}) {
    INFO(command);
    PluginSuite s;
    // --plugin before the subcommand for one, after it for the others.
    const std::string args = command == "run --suite" ? "--plugin " + kGood + " " + command + " '" + s.suite + "'"
                                                      : command + " '" + s.suite + "' --plugin " + kGood;
    CommandResult r = run_greenbench(args + s.where());
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(r.output.find("clashes") == std::string::npos);
    const auto records = s.records();
    REQUIRE(records.size() == 1);
    CHECK(records[0]["method"]["name"] == "plugin_probe");
    CHECK(records[0]["method"]["origin"]["kind"] == "plugin");
    CHECK(records[0]["method"]["origin"]["path"] == kGood);
  }
}
