// The serve and submit subcommands through CLI11, as main.cpp runs them:
// submit's output and exit status; serve in a child process, stopped with
// SIGTERM, after an upload; serve refusing a bad token file.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <regex>
#include <thread>

#include "cli/leaderboard_commands.h"
#include "support.h"
#include "util/atomic_file.h"

using namespace greenbench;
using namespace greenbench::testing;

namespace {

struct Parsed {
  CLI::App app{"test"};
  LeaderboardCommands commands;
  explicit Parsed(std::vector<std::string> args) {
    commands = add_leaderboard_commands(app);
    app.require_subcommand(1);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    app.parse(args);
  }
};

std::string read_all(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, file)) > 0) text.append(buf, n);
  return text;
}

}  // namespace

TEST_CASE("submit command: options, output and exit status", "[commands]") {
  ServerFixture f;
  IngestServer server(f.options());
  server.start();
  write_file(f.dir / "r1.json", make_record("r1"));
  write_file(f.dir / "r2.json", make_record("r2"));

  Parsed p({"submit", f.dir / "r1.json", f.dir / "r2.json", "--to", server.url(), "--token-file", f.token_file,
            "--timeout", "5", "--retries", "1"});
  REQUIRE(p.commands.parsed());
  CHECK(p.commands.submit->parsed());
  CHECK(p.commands.submit_args->timeout_s == 5);
  CHECK(p.commands.submit_args->retries == 1);
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  CHECK(run_submit(*p.commands.submit_args, out, err) == 0);
  CHECK_THAT(read_all(out), Catch::Contains("2 stored, 0 already there, 0 failed"));
  // Again: both already there, still 0.
  CHECK(run_submit(*p.commands.submit_args, out, err) == 0);
  CHECK_THAT(read_all(out), Catch::Contains("0 stored, 2 already there, 0 failed"));
  std::fclose(out);
  std::fclose(err);

  // A wrong token: 1.
  write_token(f.dir / "wrong", "nope\n");
  Parsed q({"submit", f.dir / "r1.json", "--to", server.url(), "--token-file", f.dir / "wrong"});
  CHECK(run_leaderboard_command(q.commands, nullptr, nullptr) == 1);

  // The options are required, and checked.
  CHECK_THROWS_AS(Parsed({"submit", f.dir / "r1.json", "--token-file", f.token_file}), CLI::ParseError);
  CHECK_THROWS_AS(Parsed({"submit", f.dir / "r1.json", "--to", server.url(), "--token-file", f.token_file,
                          "--timeout", "-1"}),
                  CLI::ParseError);
  CLI::App app{"test"};
  const LeaderboardCommands c = add_leaderboard_commands(app);
  CHECK_THAT(c.serve->help(), Catch::Contains("--token-file") && Catch::Contains("SIGTERM"));
  CHECK_THAT(c.submit->help(), Catch::Contains("--retries") && Catch::Contains("HTTP 409 with the same content"));
}

TEST_CASE("serve command: refuses a token file others can read, or an empty one", "[commands]") {
  ServerFixture f;
  write_token(f.dir / "open", "abc\n", 0644);
  write_token(f.dir / "empty", "\n");
  for (const char* name : {"open", "empty"}) {
    Parsed p({"serve", "--results", f.results, "--site", f.site, "--token-file", f.dir / name, "--port", "0"});
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    CHECK_THROWS_WITH(run_serve(*p.commands.serve_args, test_verdict, nullptr, out, err),
                      Catch::Contains(f.dir / name));
    std::fclose(out);
    std::fclose(err);
  }
}

TEST_CASE("serve command: prints its URL, takes an upload, stops on SIGTERM", "[commands]") {
  ServerFixture f;
  const std::string marker = f.dir / "rebuilt";
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    int status = 3;
    try {
      Parsed p({"serve", "--results", f.results, "--site", f.site, "--token-file", f.token_file, "--port", "0"});
      status = run_leaderboard_command(p.commands, test_verdict, [&] { write_file_atomic(marker, "yes"); });
    } catch (...) {
    }
    std::fflush(stdout);
    ::_exit(status);
  }
  ::close(pipe_fds[1]);
  std::FILE* from_child = ::fdopen(pipe_fds[0], "r");
  std::string first_line;
  char line[1024];
  if (std::fgets(line, sizeof line, from_child)) first_line = line;
  std::smatch m;
  const bool found = std::regex_search(first_line, m, std::regex(R"(listening on (http://127\.0\.0\.1:\d+)/)"));
  if (!found) ::kill(child, SIGKILL);
  INFO(first_line);
  REQUIRE(found);
  const std::string url = m[1];

  SubmitOptions o;
  o.url = url;
  o.token = f.token;
  o.retries = 0;
  o.timeout_s = 10;
  SubmitResult r = submit_record("x.json", make_record("via-cli"), o);
  CHECK(r.outcome == SubmitOutcome::kStored);

  REQUIRE(::kill(child, SIGTERM) == 0);
  std::string rest;
  while (std::fgets(line, sizeof line, from_child)) rest += line;
  std::fclose(from_child);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  INFO(rest);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(rest, Catch::Contains("terminated, stopping"));
  CHECK_THAT(rest, Catch::Contains("stopped; this session: 1 stored"));
  CHECK(files_under(f.results) == std::vector<std::string>{"sst2/via-cli.json"});
  CHECK(read_file(marker) == "yes");  // the rebuild ran before it exited
}
