// `greenbench submit`: uploads result records to a `greenbench serve`
// server with libcurl. One POST per file with the bearer token and a
// Content-Length; the server stores a record only after reading all of it, so
// a broken connection never leaves half a record, and is retried. Retries
// (exponential back-off) only for what may pass: connection refused or
// reset, time-outs, HTTP 429, 502, 503, 504.
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "leaderboard/token.h"

namespace greenbench {

struct SubmitOptions {
  std::string url;            ///< the server ("http://host:port") or its /api/v1/results endpoint
  std::string token;          ///< bearer token (see read_token_file)
  double timeout_s = 60;      ///< per attempt, connecting included
  int retries = 3;            ///< further attempts after the first, for transient failures
  double retry_delay_s = 0.5; ///< first back-off; doubles each retry
  double max_retry_delay_s = 8;
  std::size_t max_bytes = kDefaultMaxRecordBytes;  ///< larger files are refused before sending
  /// Told about each failed attempt that will be retried (a line, no newline).
  std::function<void(const std::string&)> on_retry;
};

enum class SubmitOutcome {
  kStored,        ///< 201: the server stored it
  kAlreadyThere,  ///< 409 with the identical record already stored: not a failure
  kFailed,        ///< anything else, including 409 with a different record under the same key
};

struct SubmitResult {
  std::string label;  ///< the file name (or what the caller named the body)
  SubmitOutcome outcome = SubmitOutcome::kFailed;
  long http_status = 0;  ///< of the last attempt; 0 when no answer came
  int attempts = 0;
  std::string stored;               ///< where the server keeps it (relative to its results folder)
  std::string message;              ///< one line for the person at the terminal
  std::vector<std::string> errors;  ///< the server's reasons on 400
};

/// The endpoint for `url`: a server root gets "/api/v1/results" appended, an
/// endpoint is kept. Throws greenbench::Error unless http:// or https://.
std::string results_endpoint(const std::string& url);

/// Uploads one body (with retries). Never throws for network or HTTP
/// failures: they come back as kFailed with a message.
SubmitResult submit_record(const std::string& label, const std::string& body, const SubmitOptions& options);

/// Reads `path` whole (refusing unreadable, empty or oversize files with the
/// file's name, without contacting the server) and uploads it.
SubmitResult submit_file(const std::string& path, const SubmitOptions& options);

struct SubmitSummary {
  int stored = 0, already_there = 0, failed = 0;
  std::vector<SubmitResult> results;
  /// 0 when every file is on the server (stored now or already there), else 1.
  int exit_code() const { return failed > 0 ? 1 : 0; }
};

/// Uploads the files in order; one line per file on `out` (failures and
/// retries on `err`), then a summary line on `out`.
SubmitSummary submit_files(const std::vector<std::string>& files, const SubmitOptions& options, std::FILE* out,
                           std::FILE* err);

}  // namespace greenbench
