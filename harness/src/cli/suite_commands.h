// Suites: `greenbench bench` (the main job: a suite, then the site),
// `sweep` (random search over a suite's space, sharded, or emitted as a
// Slurm or Kubernetes job), `merge` (join sweep shards' records) and
// `suites` (list the built-in ones).
#pragma once

#include <memory>

#include "cli/command_group.h"

namespace greenbench {

std::unique_ptr<CommandGroup> add_suite_commands(CLI::App& app);

}  // namespace greenbench
