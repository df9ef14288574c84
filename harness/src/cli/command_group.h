// What main.cpp wires: a group of subcommands (run/train/eval, bench/sweep,
// data, results, env) that adds its commands and options to the app, says
// whether the command line chose one of them, and runs it. Each group lives
// in a file of its own; main.cpp only parses and dispatches.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "run/runner.h"
#include "run/suite.h"

namespace greenbench {

/// A chosen command whose setting flags default to a suite's settings: main
/// loads the suite, applies its settings, and parses again so that the flags
/// given win.
struct SuiteDefaults {
  CLI::App* command = nullptr;
  RunSettings* settings = nullptr;
  std::string suite_name;
  Suite* suite = nullptr;  ///< where main puts the loaded suite, before run()
};

class CommandGroup {
 public:
  virtual ~CommandGroup() = default;
  /// Whether the command line chose one of this group's commands.
  virtual bool parsed() const = 0;
  /// The suite the chosen command takes its defaults from, if it takes any.
  virtual std::optional<SuiteDefaults> suite_defaults() { return std::nullopt; }
  /// Runs the chosen command (`argv`: the whole command line); returns the
  /// exit status. Throws on errors; main prints them.
  virtual int run(const std::vector<std::string>& argv) = 0;
};

}  // namespace greenbench
