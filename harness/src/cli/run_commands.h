// One method on one task: `greenbench methods` (what can run), `run` (train,
// calibrate, evaluate, write the record; or with --suite, a whole suite),
// `train` (save a checkpoint folder) and `eval` (measure a checkpoint again).
#pragma once

#include <memory>

#include "cli/command_group.h"

namespace greenbench {

std::unique_ptr<CommandGroup> add_run_commands(CLI::App& app);

}  // namespace greenbench
