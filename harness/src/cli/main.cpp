// greenbench: train and evaluate efficient NLP methods with their price tag.
// main() only wires: the global flags, one group of subcommands per file
// (data, run, suite, results, env commands), the second parse that lets a
// suite's settings be the defaults of the flags, and the exit status.
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command_group.h"
#include "cli/data_commands.h"
#include "cli/env_command.h"
#include "cli/results_commands.h"
#include "cli/run_commands.h"
#include "cli/suite_commands.h"
#include "greenbench/registry.h"
#include "greenbench/task.h"
#include "measure/blas_info.h"
#include "run/build_info.h"
#include "run/plugin_loader.h"
#include "settings/settings_validation.h"
#include "util/progress.h"

namespace greenbench {
namespace {

// A suite sets the defaults; parsing again lets the flags given win. Plugins
// load first, so a suite can name their methods.
void apply_suite_defaults(CLI::App& app, const SuiteDefaults& d, std::vector<std::string>& plugins, int argc, char** argv) {
  for (const auto& path : plugins) load_plugin(path, method_registry(), task_registry());
  plugins.clear();
  *d.suite = load_suite(d.suite_name);
  apply_suite_settings(d.suite->settings, *d.settings, d.suite->source);
  app.clear();
  app.parse(argc, argv);
  // --seed replaces the suite's seeds.
  if (d.command->get_option("--seed")->count() > 0) d.suite->seeds = {d.settings->seed};
}

}  // namespace
}  // namespace greenbench

int main(int argc, char** argv) {
  using namespace greenbench;
  ensure_fast_openblas(argv);

  CLI::App app{
      "greenbench: train and evaluate efficient NLP methods (early exit, truncated models, ...) and report\n"
      "accuracy with its price tag: FLOPs, time and, where the machine allows, energy.\n"};
  app.require_subcommand(1);
  app.set_version_flag("--version", build_info().version + " (" + build_info().git_commit.substr(0, 12) + ")");
  bool quiet = false;
  app.add_flag("-q,--quiet", quiet, "no progress bars");
  std::vector<std::string> plugins;
  app.add_option("--plugin", plugins,
                 "load the methods of a plugin (a .so built against this greenbench's installed package; see "
                 "docs/submit-a-method.md) before the subcommand runs; repeatable")
      ->type_name("PATH")
      ->allow_extra_args(false);
  // So that `greenbench run TASK METHOD --plugin PATH` works as well as `greenbench --plugin PATH run ...`.
  app.fallthrough();

  std::vector<std::unique_ptr<CommandGroup>> groups;
  groups.push_back(add_data_commands(app));
  groups.push_back(add_run_commands(app));
  groups.push_back(add_suite_commands(app));
  groups.push_back(add_results_commands(app));
  groups.push_back(add_env_command(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (auto& group : groups) {
    const std::optional<SuiteDefaults> defaults = group->parsed() ? group->suite_defaults() : std::nullopt;
    if (!defaults) continue;
    try {
      apply_suite_defaults(app, *defaults, plugins, argc, argv);
    } catch (const CLI::ParseError& e) {
      return app.exit(e);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "greenbench: %s\n", e.what());
      return 2;
    }
  }
  ProgressBar::set_enabled(!quiet);

  try {
    for (const auto& path : plugins) load_plugin(path, method_registry(), task_registry());
    for (auto& group : groups) {
      if (group->parsed()) return group->run(std::vector<std::string>(argv, argv + argc));
    }
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "greenbench: bad JSON: %s\n", e.what());
    return 2;
  } catch (const SettingsError& e) {
    // A usage error, like a bad flag: nothing was read or run.
    std::fprintf(stderr, "greenbench: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "greenbench: %s\n", e.what());
    return 1;
  }
  return 0;
}
