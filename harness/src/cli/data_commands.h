// `greenbench tasks` (the tasks and which of their splits the data folder
// has) and `greenbench data fetch` (download, check, unpack a task's data).
#pragma once

#include <memory>

#include "cli/command_group.h"

namespace greenbench {

std::unique_ptr<CommandGroup> add_data_commands(CLI::App& app);

}  // namespace greenbench
