// `greenbench env`: the provenance a record carries (machine, OS, build,
// LibTorch, BLAS), and what this machine can and cannot measure, and why.
#pragma once

#include <memory>

#include "cli/command_group.h"

namespace greenbench {

/// Adds `env` (with --json) to `app`.
std::unique_ptr<CommandGroup> add_env_command(CLI::App& app);

/// Prints the report as text, or as one JSON object when `json` is set.
int print_env(bool json);

}  // namespace greenbench
