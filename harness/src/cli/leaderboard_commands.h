// `greenbench serve` and `greenbench submit`: the results upload path
// (harness/src/leaderboard). main.cpp adds the two subcommands, parses, and
// when one of them was given runs it with the real record validator and site
// builder:
//
//   auto leaderboard = greenbench::add_leaderboard_commands(app);
//   ... app.parse(argc, argv) ...
//   if (leaderboard.parsed()) return greenbench::run_leaderboard_command(leaderboard, verdict, rebuild);
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "leaderboard/ingest_server.h"
#include "leaderboard/submit_client.h"

namespace CLI {
class App;
}

namespace greenbench {

struct ServeArgs {
  std::string results_dir, site_dir, token_file;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::size_t max_bytes = kDefaultMaxRecordBytes;
};

struct SubmitArgs {
  std::vector<std::string> files;
  std::string to, token_file;
  double timeout_s = 60;
  int retries = 3;
  std::size_t max_bytes = kDefaultMaxRecordBytes;
};

struct LeaderboardCommands {
  CLI::App* serve = nullptr;
  CLI::App* submit = nullptr;
  std::shared_ptr<ServeArgs> serve_args;    // filled by parsing
  std::shared_ptr<SubmitArgs> submit_args;  // filled by parsing
  /// True when the command line chose serve or submit.
  bool parsed() const;
};

/// Adds `serve` and `submit` to `app`, with their options and --help texts.
LeaderboardCommands add_leaderboard_commands(CLI::App& app);

/// Runs whichever of the two was parsed; returns the process exit status.
/// serve: `verdict` judges each upload (and the records already in
/// --results at start-up); `rebuild` (may be empty) rebuilds the site data
/// after stores, coalesced on a background thread. Runs until SIGINT or
/// SIGTERM, then stops cleanly: 0. submit: 0 when every file is on the
/// server (stored now, or the identical record already there), else 1.
/// Errors (bad token file, port taken, ...) print "greenbench: ..." and give 1.
int run_leaderboard_command(const LeaderboardCommands& commands, IngestVerdictFn verdict, RebuildFn rebuild);

/// The two commands themselves, writing to `out` and `err` (for tests).
/// run_serve throws greenbench::Error when the server cannot start.
int run_serve(const ServeArgs& args, IngestVerdictFn verdict, RebuildFn rebuild, std::FILE* out, std::FILE* err);
int run_submit(const SubmitArgs& args, std::FILE* out, std::FILE* err);

}  // namespace greenbench
