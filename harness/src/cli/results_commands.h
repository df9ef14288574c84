// Reading results: `greenbench report` (budget-aware tables and plots),
// `site build` (the static leaderboard site), `validate` (check records) and
// the upload path, `serve` and `submit` (leaderboard_commands.h), wired here
// to the real record validator and site builder.
#pragma once

#include <memory>

#include "cli/command_group.h"

namespace greenbench {

std::unique_ptr<CommandGroup> add_results_commands(CLI::App& app);

}  // namespace greenbench
