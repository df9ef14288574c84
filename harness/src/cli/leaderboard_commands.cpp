#include "cli/leaderboard_commands.h"

#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "greenbench/error.h"

namespace greenbench {
namespace {

int g_stop_pipe[2] = {-1, -1};

extern "C" void on_stop_signal(int sig) {
  const int saved = errno;
  const char c = static_cast<char>(sig);
  if (g_stop_pipe[1] >= 0) (void)!::write(g_stop_pipe[1], &c, 1);
  errno = saved;
}

// SIGINT and SIGTERM write to a pipe that the serving thread waits on, so
// whichever thread the kernel picks for the signal, the server stops cleanly.
class StopSignals {
 public:
  StopSignals() {
    if (::pipe(g_stop_pipe) != 0) throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
    ::close(g_stop_pipe[0]);
    ::close(g_stop_pipe[1]);
    g_stop_pipe[0] = g_stop_pipe[1] = -1;
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// Blocks until a signal arrives; returns its number.
  int wait() {
    char c = 0;
    for (;;) {
      const ssize_t n = ::read(g_stop_pipe[0], &c, 1);
      if (n == 1) return c;
      if (n < 0 && errno == EINTR) continue;
      return 0;
    }
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm {};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

bool LeaderboardCommands::parsed() const {
  return (serve && serve->parsed()) || (submit && submit->parsed());
}

LeaderboardCommands add_leaderboard_commands(CLI::App& app) {
  LeaderboardCommands c;
  c.serve_args = std::make_shared<ServeArgs>();
  c.submit_args = std::make_shared<SubmitArgs>();
  ServeArgs& s = *c.serve_args;
  SubmitArgs& u = *c.submit_args;

  c.serve = app.add_subcommand(
      "serve",
      "serve the leaderboard site and take result records on POST /api/v1/results (bearer token, size limit,\n"
      "validation, duplicate check), each stored atomically as RESULTS/<task>/<run_id>.json; the site data is\n"
      "rebuilt after uploads. Stop it with Ctrl-C (SIGINT) or SIGTERM. Plain HTTP: outside loopback, put a TLS\n"
      "proxy in front. See harness/src/leaderboard/README.md.");
  c.serve->add_option("--results", s.results_dir, "folder of stored records (created if missing)")->required();
  c.serve->add_option("--site", s.site_dir, "the static leaderboard site to serve at /")
      ->required()
      ->check(CLI::ExistingDirectory);
  c.serve->add_option("--token-file", s.token_file,
                      "file holding the bearer token uploads must send (one word; mode 600: not readable by group "
                      "or others)")
      ->required();
  c.serve->add_option("--port", s.port, "TCP port (0: any free port; the URL printed says which)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  c.serve->add_option("--host", s.host, "address to listen on (0.0.0.0: every interface)")->capture_default_str();
  c.serve->add_option("--max-bytes", s.max_bytes, "largest record accepted, in bytes; larger ones get HTTP 413")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);

  c.submit = app.add_subcommand(
      "submit",
      "upload result records (JSON files written by run/bench/sweep) to a `greenbench serve` server. Transient\n"
      "failures (connection refused or reset, time-outs, HTTP 429/502/503/504) are retried with exponential\n"
      "back-off. Exit status 0 when every file is on the server: stored now, or the identical record already\n"
      "there (HTTP 409 with the same content); 1 when any failed.");
  c.submit->add_option("files", u.files, "record files to upload")->required();
  c.submit->add_option("--to", u.to, "the server, e.g. http://127.0.0.1:8080 (or its /api/v1/results URL)")
      ->required();
  c.submit->add_option("--token-file", u.token_file, "file holding the bearer token (mode 600)")->required();
  c.submit->add_option("--timeout", u.timeout_s, "seconds one attempt may take, connecting included")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  c.submit->add_option("--retries", u.retries, "retries after the first attempt, for transient failures only")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  c.submit->add_option("--max-bytes", u.max_bytes, "files larger than this are not sent")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  return c;
}

int run_serve(const ServeArgs& args, IngestVerdictFn verdict, RebuildFn rebuild, std::FILE* out, std::FILE* err) {
  IngestServerOptions o;
  o.results_dir = args.results_dir;
  o.site_dir = args.site_dir;
  o.token = read_token_file(args.token_file);
  o.host = args.host;
  o.port = args.port;
  o.max_bytes = args.max_bytes;
  o.verdict = std::move(verdict);
  if (rebuild) {
    o.rebuild = [rebuild = std::move(rebuild), err] {
      const auto t0 = std::chrono::steady_clock::now();
      rebuild();
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(err, "%s rebuilt the leaderboard in %.2f s\n", now_utc().c_str(), s);
    };
  }
  o.log = [err](const std::string& line) { std::fprintf(err, "%s %s\n", now_utc().c_str(), line.c_str()); };

  StopSignals signals;  // before any server thread exists
  IngestServer server(std::move(o));
  const IngestStats at_start = server.stats();
  if (!is_loopback(args.host))
    std::fprintf(err,
                 "warning: listening on %s over plain HTTP: the token crosses the network in clear text; put a TLS "
                 "proxy in front\n",
                 args.host.c_str());
  server.start();
  std::fprintf(out, "greenbench serve: listening on %s/ (uploads: POST %s/api/v1/results)\n", server.url().c_str(),
               server.url().c_str());
  std::fprintf(out, "  results: %s (%ld records already there", args.results_dir.c_str(), at_start.existing);
  if (at_start.unreadable_existing > 0)
    std::fprintf(out, ", %ld .json files the validator refused", at_start.unreadable_existing);
  std::fprintf(out, ")\n  site:    %s\n  Ctrl-C or SIGTERM stops it\n", args.site_dir.c_str());
  std::fflush(out);

  const int sig = signals.wait();
  std::fprintf(out, "greenbench serve: %s, stopping\n", sig == SIGINT ? "interrupted" : "terminated");
  std::fflush(out);
  server.stop();
  const IngestStats st = server.stats();
  std::fprintf(out,
               "greenbench serve: stopped; this session: %ld stored, %ld duplicates, %ld invalid, %ld refused "
               "tokens, %ld too large, %ld failed; %ld rebuilds\n",
               st.stored, st.duplicates, st.invalid, st.unauthorized, st.too_large, st.failed, st.rebuilds);
  std::fflush(out);
  return 0;
}

int run_submit(const SubmitArgs& args, std::FILE* out, std::FILE* err) {
  SubmitOptions o;
  o.url = args.to;
  o.token = read_token_file(args.token_file);
  o.timeout_s = args.timeout_s;
  o.retries = args.retries;
  o.max_bytes = args.max_bytes;
  return submit_files(args.files, o, out, err).exit_code();
}

int run_leaderboard_command(const LeaderboardCommands& commands, IngestVerdictFn verdict, RebuildFn rebuild) {
  try {
    if (commands.serve && commands.serve->parsed())
      return run_serve(*commands.serve_args, std::move(verdict), std::move(rebuild), stdout, stderr);
    if (commands.submit && commands.submit->parsed()) return run_submit(*commands.submit_args, stdout, stderr);
    std::fprintf(stderr, "greenbench: neither serve nor submit was given\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "greenbench: %s\n", e.what());
    return 1;
  }
}

}  // namespace greenbench
