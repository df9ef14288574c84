// `greenbench serve`: the leaderboard's HTTP server. It serves the static
// site and takes result records on POST /api/v1/results: bearer token, size
// limit, validation (an injected verdict), duplicate check, atomic store as
// RESULTS/<task>/<run_id>.json, then a coalesced rebuild of the site data.
// See harness/src/leaderboard/README.md for the endpoints and status codes.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "leaderboard/token.h"

namespace greenbench {

/// What the validator says about one uploaded body.
struct IngestVerdict {
  bool ok = false;
  std::vector<std::string> errors;  ///< why not, for the uploader; shown when !ok
  std::string task, run_id;         ///< where it is stored: <task>/<run_id>.json
  /// Two records with the same key are the same run; empty: "<task>/<run_id>".
  std::string duplicate_key;
};

/// Judges a body. May throw: the server answers 400 with what() then.
/// Called from several request threads at once (and, at start-up, once per
/// *.json file under the results folder): it must be thread-safe.
using IngestVerdictFn = std::function<IngestVerdict(const std::string& body)>;
/// Rebuilds the leaderboard data (the site) from the results folder. Runs on
/// its own thread, never twice at once, while uploads go on (each stored
/// file appears whole, by rename).
using RebuildFn = std::function<void()>;

struct IngestServerOptions {
  std::string results_dir;  ///< where records are stored (created if missing)
  std::string site_dir;     ///< served at / (GET); empty: no static site
  std::string token;        ///< the bearer token (see read_token_file); must not be empty
  std::string host = "127.0.0.1";
  int port = 0;             ///< 0: any free port, see IngestServer::port()
  std::size_t max_bytes = kDefaultMaxRecordBytes;
  int threads = 0;          ///< request threads; 0: max(8, cores)
  IngestVerdictFn verdict;  ///< required
  RebuildFn rebuild;        ///< optional
  /// A stored record triggers a rebuild this long after it (more stores in
  /// that window share the rebuild); never two rebuilds at once.
  std::chrono::milliseconds rebuild_settle{200};
  /// One line per request and per event (no token, no body); optional.
  std::function<void(const std::string&)> log;
};

struct IngestStats {
  long stored = 0;        ///< 201
  long duplicates = 0;    ///< 409
  long invalid = 0;       ///< 400
  long unauthorized = 0;  ///< 401
  long too_large = 0;     ///< 413
  long failed = 0;        ///< 500 (could not write)
  long rebuilds = 0;      ///< rebuild runs finished
  long existing = 0;      ///< records found in results_dir at start-up
  long unreadable_existing = 0;  ///< files under results_dir the verdict refused at start-up
};

/// True when `name` can be a task or run id folder/file name: [A-Za-z0-9_.-]+,
/// not starting with '.', at most 200 characters.
bool is_safe_record_name(const std::string& name);

class IngestServer {
 public:
  /// Checks the options, scans results_dir for records already stored (with
  /// the verdict: their duplicate keys) and binds the port. Serves nothing
  /// until start(). Throws greenbench::Error (empty token, no verdict, site
  /// folder missing, port taken, ...).
  explicit IngestServer(IngestServerOptions options);
  /// stop().
  ~IngestServer();
  IngestServer(const IngestServer&) = delete;
  IngestServer& operator=(const IngestServer&) = delete;

  /// Starts answering on background threads; returns once it listens.
  /// Asks for one rebuild of the site then (a crash may have left it behind the records).
  void start();
  /// Stops listening, finishes the requests in flight, runs a pending
  /// rebuild, joins every thread. Idempotent; safe without start().
  void stop();

  int port() const;
  /// "http://host:port" (the bound port).
  std::string url() const;
  IngestStats stats() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace greenbench
