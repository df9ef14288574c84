// --plugin on the command line: given before or after the subcommand, the
// plugin's methods are listed by `greenbench methods` with the file they came
// from; a plugin the loader refuses stops the command with its reason; --help
// explains the option. Skipped (with a warning) when the greenbench target
// has not been built.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <string>

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

  CommandResult twice = run_greenbench("--plugin " + kGood + " --plugin " + kGood + " methods");
  INFO(twice.output);
  CHECK(twice.status != 0);
  CHECK_THAT(twice.output, Contains("clashes with the one already registered from plugin " + kGood));
}

TEST_CASE("greenbench --help explains --plugin", "[plugin][cli]") {
  if (!have_binary()) return;
  CommandResult r = run_greenbench("--help");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK_THAT(r.output, Contains("--plugin"));
  CHECK_THAT(r.output, Contains("repeatable"));
}
