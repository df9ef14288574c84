// A hostile upload to `greenbench serve`: each input is the body of an
// authorized POST /api/v1/results to a real IngestServer on loopback (one per
// process, started on the first input), judged by the verdict serve uses
// (harness/src/cli/main.cpp: validate_record_text, then the record's task
// and run_id). The server must answer every body with 201 (stored, and the
// stored file is the body), 400, 409 or 413, and keep serving.
#include <httplib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_support.h"
#include "leaderboard/ingest_server.h"
#include "report/upload_verdict.h"
#include "util/atomic_file.h"

namespace {

using namespace greenbench;

constexpr const char* kToken = "fuzz-token";

IngestVerdict serve_verdict(const std::string& body) {
  static const ValidationOptions options;  // serve's defaults
  return upload_verdict(body, options);
}

IngestServer& server() {
  static const std::unique_ptr<IngestServer> s = [] {
    IngestServerOptions o;
    o.results_dir = (fuzz::scratch_dir() / "results").string();
    o.token = kToken;
    o.threads = 2;
    o.verdict = serve_verdict;
    auto started = std::make_unique<IngestServer>(o);
    started->start();
    return started;
  }();
  return *s;
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_ingest_body: %s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static httplib::Client client("127.0.0.1", server().port());
  client.set_bearer_token_auth(kToken);
  client.set_keep_alive(true);  // one connection for many inputs, while the server keeps it
  client.set_tcp_nodelay(true);  // headers and body go in two writes: no 40 ms Nagle wait between them
  const std::string body(fuzz::as_text(data, size));
  const httplib::Result res = client.Post("/api/v1/results", body, "application/json");
  if (!res) fail("no answer: " + httplib::to_string(res.error()));
  const int status = res->status;
  if (status == 201) {
    const std::string stored = nlohmann::json::parse(res->body).at("stored").get<std::string>();
    if (read_file((fuzz::scratch_dir() / "results" / stored).string()) != body) fail("stored " + stored + " is not the body");
  } else if (status != 400 && status != 409 && status != 413) {
    fail("status " + std::to_string(status) + ": " + res->body);
  }
  return 0;
}
