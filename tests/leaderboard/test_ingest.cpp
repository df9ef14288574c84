// The ingest server and the submit client together on loopback: round trip,
// refused tokens, invalid records, size limits, duplicates, records already
// stored at start-up; and the small pieces (tokens, names, endpoints, the
// rebuild coalescer).
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "greenbench/error.h"
#include "leaderboard/coalescer.h"
#include "leaderboard/ingest_server.h"
#include "leaderboard/submit_client.h"
#include "leaderboard/token.h"
#include "support.h"
#include "util/atomic_file.h"

using namespace greenbench;
using namespace greenbench::testing;
using nlohmann::json;

namespace {

SubmitOptions client_for(const IngestServer& server, const std::string& token) {
  SubmitOptions o;
  o.url = server.url();
  o.token = token;
  o.timeout_s = 20;
  o.retries = 0;
  return o;
}

}  // namespace

TEST_CASE("round trip: submit a record file, see it stored, listed and rebuilt", "[ingest]") {
  ServerFixture f;
  std::atomic<int> rebuilds{0};
  auto options = f.options();
  options.rebuild = [&] { ++rebuilds; };
  IngestServer server(options);
  server.start();
  REQUIRE(server.port() > 0);

  const std::string record = make_record("run-001", "sst2");
  write_file(f.dir / "out/run-001.json", record);
  SubmitResult r = submit_file(f.dir / "out/run-001.json", client_for(server, f.token));
  INFO(r.message);
  CHECK(r.outcome == SubmitOutcome::kStored);
  CHECK(r.http_status == 201);
  CHECK(r.attempts == 1);
  CHECK(r.stored == "sst2/run-001.json");
  CHECK(read_file(f.results + "/sst2/run-001.json") == record);
  CHECK(files_under(f.results) == std::vector<std::string>{"sst2/run-001.json"});

  HttpAnswer list = http_get(server.url() + "/api/v1/results");
  REQUIRE(list.status == 200);
  json j = json::parse(list.body);
  CHECK(j["count"] == 1);
  CHECK(j["results"][0]["run_id"] == "run-001");
  CHECK(j["results"][0]["task"] == "sst2");
  CHECK(j["results"][0]["stored"] == "sst2/run-001.json");

  HttpAnswer health = http_get(server.url() + "/api/v1/health");
  CHECK(health.status == 200);
  CHECK(json::parse(health.body)["ok"] == true);

  // The static site.
  HttpAnswer index = http_get(server.url() + "/");
  CHECK(index.status == 200);
  CHECK(index.body == "<html>leaderboard</html>\n");
  CHECK(http_get(server.url() + "/data/leaderboard.json").body == "[]\n");
  HttpAnswer missing = http_get(server.url() + "/no/such/page");
  CHECK(missing.status == 404);
  CHECK(json::parse(missing.body).contains("error"));

  server.stop();  // runs the pending rebuild
  CHECK(rebuilds >= 1);
  CHECK(server.stats().stored == 1);
  CHECK(server.stats().rebuilds == rebuilds);
}

TEST_CASE("the site is rebuilt once at start-up, before any upload", "[ingest]") {
  // After a crash between a store and its rebuild, the site showed fewer
  // runs than were stored until the next upload.
  ServerFixture f;
  write_file(f.results + "/sst2/stored-before.json", make_record("stored-before"));
  std::atomic<int> rebuilds{0};
  auto options = f.options();
  options.rebuild = [&] { ++rebuilds; };
  IngestServer server(options);
  CHECK(rebuilds == 0);  // not before it serves
  server.start();
  server.stop();  // runs the pending rebuild
  CHECK(rebuilds == 1);
  CHECK(server.stats().rebuilds == 1);
  CHECK(server.stats().stored == 0);
}

TEST_CASE("a wrong or missing token is refused with 401 and nothing is stored", "[ingest]") {
  ServerFixture f;
  IngestServer server(f.options());
  server.start();
  const std::string record = make_record("run-1");

  SubmitResult r = submit_record("run-1.json", record, client_for(server, "not-the-token"));
  CHECK(r.outcome == SubmitOutcome::kFailed);
  CHECK(r.http_status == 401);
  CHECK_THAT(r.message, Catch::Contains("the server refused the token"));
  CHECK(r.attempts == 1);  // not retried

  // A prefix of the token, no token, another scheme.
  CHECK(submit_record("x", record, client_for(server, f.token.substr(0, 5))).http_status == 401);
  const std::string url = server.url() + "/api/v1/results";
  HttpAnswer none = http_request(url, {"Content-Type: application/json"}, &record);
  CHECK(none.status == 401);
  CHECK(json::parse(none.body)["error"].get<std::string>().find("bearer token") != std::string::npos);
  CHECK(http_request(url, {"Authorization: Basic " + f.token}, &record).status == 401);
  CHECK(http_request(url, {"Authorization: Bearer"}, &record).status == 401);
  // The scheme is case-insensitive.
  CHECK(http_request(url, {"Authorization: bearer " + f.token, "Expect:"}, &record).status == 201);

  // A large body from a stranger is refused before it is sent (Expect: 100-continue).
  const std::string big(200 * 1024, ' ');
  CHECK(submit_record("big", big, client_for(server, "wrong")).http_status == 401);

  CHECK(files_under(f.results) == std::vector<std::string>{"sst2/run-1.json"});
  CHECK(server.stats().unauthorized == 6);
}

TEST_CASE("malformed and hostile records are refused with 400 and nothing is stored", "[ingest]") {
  ServerFixture f;
  auto options = f.options();
  options.verdict = [](const std::string& body) {
    if (body.find("\"explode\"") != std::string::npos) throw std::runtime_error("validator blew up");
    return test_verdict(body);
  };
  IngestServer server(options);
  server.start();
  const auto client = client_for(server, f.token);

  SubmitResult r = submit_record("a", R"({"run_id": 7, "task": {"name": "sst2"}})", client);
  CHECK(r.http_status == 400);
  CHECK(r.outcome == SubmitOutcome::kFailed);
  CHECK_THAT(r.message, Catch::Contains("refused the record"));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == "run_id: expected a string");

  r = submit_record("b", "{not json", client);
  CHECK(r.http_status == 400);
  REQUIRE(!r.errors.empty());
  CHECK_THAT(r.errors[0], Catch::Contains("not JSON"));

  r = submit_record("c", R"({"explode": 1})", client);
  CHECK(r.http_status == 400);
  REQUIRE(!r.errors.empty());
  CHECK_THAT(r.errors[0], Catch::Contains("validator blew up"));

  // Valid by the verdict, but the names would leave the results folder.
  for (auto [run_id, task] : std::vector<std::pair<std::string, std::string>>{
           {"../../escape", "sst2"}, {"ok", "../up"}, {".hidden", "sst2"}, {"a/b", "sst2"}, {"ok", ""},
           {"ok", "sst2/sub"}, {std::string("nul\0byte", 8), "sst2"}, {"spa ce", "sst2"}}) {
    r = submit_record("n", make_record(run_id, task), client);
    INFO(run_id << " in " << task);
    CHECK(r.http_status == 400);
  }
  // Binary junk and an empty body.
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 131) & 0xff);
  CHECK(submit_record("junk", junk, client).http_status == 400);
  const std::string empty;
  CHECK(http_request(server.url() + "/api/v1/results", {"Authorization: Bearer " + f.token}, &empty).status == 400);

  CHECK(files_under(f.results).empty());
  CHECK(files_under(f.dir.path()).size() == 3);  // token, site: nothing escaped
  CHECK(http_get(server.url() + "/api/v1/health").status == 200);
  CHECK(server.stats().stored == 0);
}

TEST_CASE("oversize records are refused with 413, before the body is read", "[ingest]") {
  ServerFixture f;
  auto options = f.options();
  options.max_bytes = 1000;
  IngestServer server(options);
  server.start();
  auto client = client_for(server, f.token);
  std::string record = make_record("big-1");
  record.insert(record.size() - 1, ", \"pad\": \"" + std::string(5000, 'x') + "\"");

  // The client allows more than the server: the server says no.
  SubmitResult r = submit_record("big.json", record, client);
  CHECK(r.outcome == SubmitOutcome::kFailed);
  CHECK(r.http_status == 413);
  CHECK_THAT(r.message, Catch::Contains("too large") && Catch::Contains("at most 1000 bytes"));
  CHECK(r.attempts == 1);

  // A body far larger than the limit, sent with Expect: 100-continue: the
  // answer comes from the headers alone.
  const std::string huge(64u << 20, 'x');
  const auto t0 = std::chrono::steady_clock::now();
  r = submit_record("huge.json", huge, client);
  CHECK(r.http_status == 413);
  WARN("64 MiB upload refused in "
       << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s");

  const std::string url = server.url() + "/api/v1/results";
  const std::string auth = "Authorization: Bearer " + f.token;
  // Without Expect: refused from the declared Content-Length.
  HttpAnswer a = http_request(url, {auth, "Expect:"}, &record);
  CHECK(a.status == 413);
  CHECK(json::parse(a.body)["max_bytes"] == 1000);
  // Chunked (no length declared): httplib's payload limit.
  a = http_request(url, {auth, "Expect:"}, &record, /*chunked=*/true);
  CHECK(a.status == 413);
  CHECK(json::parse(a.body)["max_bytes"] == 1000);
  // At the limit is fine.
  std::string fits = make_record("fits");
  fits.insert(fits.size() - 1, ", \"pad\": \"" + std::string(1000 - fits.size() - 11, 'x') + "\"");
  REQUIRE(fits.size() == 1000);
  CHECK(submit_record("fits", fits, client).http_status == 201);

  // The client refuses a file larger than its own limit, without sending it.
  write_file(f.dir / "out/big.json", record);
  client.max_bytes = 1000;
  r = submit_file(f.dir / "out/big.json", client);
  CHECK(r.outcome == SubmitOutcome::kFailed);
  CHECK(r.http_status == 0);
  CHECK_THAT(r.message, Catch::Contains(f.dir / "out/big.json") && Catch::Contains("not sent"));

  CHECK(files_under(f.results) == std::vector<std::string>{"sst2/fits.json"});
  CHECK(server.stats().too_large == 4);
  CHECK(http_get(server.url() + "/api/v1/health").status == 200);
}

TEST_CASE("a duplicate is refused with 409 and stored once", "[ingest]") {
  ServerFixture f;
  IngestServer server(f.options());
  server.start();
  const auto client = client_for(server, f.token);
  const std::string first = make_record("dup-1", "sst2", 0.9);

  CHECK(submit_record("a", first, client).outcome == SubmitOutcome::kStored);
  // The same record again: already there, not a failure.
  SubmitResult again = submit_record("a", first, client);
  CHECK(again.http_status == 409);
  CHECK(again.outcome == SubmitOutcome::kAlreadyThere);
  CHECK(again.stored == "sst2/dup-1.json");
  // Another record with the same key (run_id): a failure, and the first stays.
  SubmitResult other = submit_record("b", make_record("dup-1", "sst2", 0.1), client);
  CHECK(other.http_status == 409);
  CHECK(other.outcome == SubmitOutcome::kFailed);
  CHECK_THAT(other.message, Catch::Contains("different record with the same key"));
  // Same key, other task: still the same key.
  CHECK(submit_record("c", make_record("dup-1", "mnli"), client).http_status == 409);

  CHECK(files_under(f.results) == std::vector<std::string>{"sst2/dup-1.json"});
  CHECK(read_file(f.results + "/sst2/dup-1.json") == first);
  CHECK(server.stats().duplicates == 3);
}

TEST_CASE("records already in the results folder count as stored at start-up", "[ingest]") {
  ServerFixture f;
  const std::string old = make_record("old-1", "sst2");
  write_file(f.results + "/sst2/old-1.json", old);
  write_file(f.results + "/elsewhere/deeper/old-2.json", make_record("old-2", "mnli"));
  write_file(f.results + "/notes.json", "{\"not\": \"a record\"}");
  write_file(f.results + "/sst2/old-3.json.tmp.123", make_record("old-3"));  // a crash's leftover
  IngestServer server(f.options());
  server.start();
  CHECK(server.stats().existing == 2);
  CHECK(server.stats().unreadable_existing == 1);
  const auto client = client_for(server, f.token);

  CHECK(submit_record("a", old, client).outcome == SubmitOutcome::kAlreadyThere);
  SubmitResult r = submit_record("b", make_record("old-2", "mnli"), client);
  CHECK(r.outcome == SubmitOutcome::kAlreadyThere);
  CHECK(r.stored == "elsewhere/deeper/old-2.json");
  // The leftover temp file was not a record: old-3 can be uploaded.
  CHECK(submit_record("c", make_record("old-3"), client).outcome == SubmitOutcome::kStored);
  // A file in the way at <task>/<run_id>.json that the verdict did not
  // accept is never overwritten.
  write_file(f.results + "/sst2/clash.json", "not a record");
  CHECK(submit_record("d", make_record("clash"), client).http_status == 409);
  CHECK(read_file(f.results + "/sst2/clash.json") == "not a record");

  json list = json::parse(http_get(server.url() + "/api/v1/results").body);
  CHECK(list["count"] == 3);
}

TEST_CASE("the server checks its options and releases its port", "[ingest]") {
  ServerFixture f;
  auto o = f.options();
  o.token.clear();
  CHECK_THROWS_WITH(IngestServer(o), Catch::Contains("needs a bearer token"));
  o = f.options();
  o.verdict = nullptr;
  CHECK_THROWS_AS(IngestServer(o), Error);
  o = f.options();
  o.site_dir = f.dir / "no-site";
  CHECK_THROWS_WITH(IngestServer(o), Catch::Contains("does not exist"));

  int port = 0;
  {
    IngestServer first(f.options());
    first.start();
    port = first.port();
    o = f.options();
    o.port = port;
    CHECK_THROWS_WITH(IngestServer(o), Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(port)));
  }
  {
    o = f.options();
    o.port = port;
    IngestServer never_started(o);  // binds, never serves: the destructor closes the socket
  }
  o = f.options();
  o.port = port;
  IngestServer again(o);
  again.start();
  CHECK(http_get(again.url() + "/api/v1/health").status == 200);
  again.stop();
  again.stop();  // idempotent
  CHECK_THROWS_AS(again.start(), Error);
}

TEST_CASE("token files: trimmed, not empty, not readable by others", "[token]") {
  TempDir dir("token");
  write_token(dir / "ok", "  abc-DEF_123\n\n");
  CHECK(read_token_file(dir / "ok") == "abc-DEF_123");
  write_token(dir / "empty", " \n");
  CHECK_THROWS_WITH(read_token_file(dir / "empty"), Catch::Contains("is empty"));
  write_token(dir / "open", "abc\n", 0644);
  CHECK_THROWS_WITH(read_token_file(dir / "open"), Catch::Contains("chmod 600") && Catch::Contains("0644"));
  write_token(dir / "two", "abc def\n");
  CHECK_THROWS_WITH(read_token_file(dir / "two"), Catch::Contains("one word"));
  CHECK_THROWS_WITH(read_token_file(dir / "missing"), Catch::Contains("cannot read the token file"));
}

TEST_CASE("token comparison and the Authorization header", "[token]") {
  CHECK(tokens_equal("abc", "abc"));
  CHECK_FALSE(tokens_equal("abc", "abd"));
  CHECK_FALSE(tokens_equal("abc", "abcd"));
  CHECK_FALSE(tokens_equal("", "abc"));
  CHECK(bearer_token("Bearer xyz") == "xyz");
  CHECK(bearer_token("bEaReR   xyz ") == "xyz");
  CHECK(bearer_token("Bearerxyz").empty());
  CHECK(bearer_token("Basic xyz").empty());
  CHECK(bearer_token("").empty());
}

TEST_CASE("record names and endpoints", "[ingest]") {
  CHECK(is_safe_record_name("sst2"));
  CHECK(is_safe_record_name("run-2026.11.29_a"));
  CHECK_FALSE(is_safe_record_name(""));
  CHECK_FALSE(is_safe_record_name("."));
  CHECK_FALSE(is_safe_record_name(".."));
  CHECK_FALSE(is_safe_record_name(".x"));
  CHECK_FALSE(is_safe_record_name("a/b"));
  CHECK_FALSE(is_safe_record_name("a b"));
  CHECK_FALSE(is_safe_record_name(std::string(201, 'a')));

  CHECK(results_endpoint("http://h:1") == "http://h:1/api/v1/results");
  CHECK(results_endpoint("http://h:1/") == "http://h:1/api/v1/results");
  CHECK(results_endpoint("https://h/api/v1/results") == "https://h/api/v1/results");
  CHECK(results_endpoint("https://h/greenbench/") == "https://h/greenbench/api/v1/results");
  CHECK_THROWS_WITH(results_endpoint("h:1"), Catch::Contains("http://"));
  CHECK_THROWS_AS(results_endpoint("ftp://h/"), Error);
}

TEST_CASE("rebuilds never run at once", "[ingest]") {
  std::atomic<int> running{0}, most{0}, runs{0};
  Coalescer c(
      [&] {
        const int now = ++running;
        int seen = most;
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        --running;
        ++runs;
      },
      std::chrono::milliseconds(1));
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        c.request();
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
  for (auto& t : threads) t.join();
  c.stop(true);
  CHECK(c.requests() == 400);
  CHECK(runs >= 1);
  CHECK(runs <= 400);
  CHECK(most == 1);
  CHECK(c.runs() == runs);
  // A request after stop is dropped.
  c.request();
  CHECK(c.runs() == runs);
}

TEST_CASE("requests during a rebuild make one more rebuild", "[ingest]") {
  std::mutex m;
  std::condition_variable cv;
  bool started = false, release = false;
  std::atomic<int> runs{0};
  Coalescer c(
      [&] {
        std::unique_lock<std::mutex> lock(m);
        if (runs++ == 0) {
          started = true;
          cv.notify_all();
          cv.wait(lock, [&] { return release; });
        }
      },
      std::chrono::milliseconds(1));
  c.request();
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return started; });
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) c.request();
    });
  for (auto& t : threads) t.join();
  {
    std::lock_guard<std::mutex> lock(m);
    release = true;
  }
  cv.notify_all();
  c.stop(true);  // the pending request still runs
  CHECK(c.requests() == 101);
  CHECK(runs == 2);
  CHECK(c.runs() == 2);

  // A throwing job is reported, not fatal.
  std::string error;
  {
    Coalescer thrower([] { throw std::runtime_error("site build failed"); }, std::chrono::milliseconds(0),
                      [&](const std::string& e) { error = e; });
    thrower.request();
  }
  CHECK(error == "site build failed");
}

TEST_CASE("a body whose refusal quotes bytes that are not UTF-8 gets 400 and a JSON answer (not 500)", "[ingest]") {
  // Found by tests/fuzz/fuzz_ingest_body: the parse error quotes the bad
  // bytes, and dumping them into the answer threw.
  ServerFixture f;
  IngestServer server(f.options());
  server.start();
  const std::string body = "{\"run_id\": 3.\xca\xc6\xcf}";
  HttpAnswer a = http_request(server.url() + "/api/v1/results", {"Authorization: Bearer " + f.token}, &body);
  CHECK(a.status == 400);
  CHECK(json::parse(a.body).at("errors").size() == 1);
  CHECK(server.stats().invalid == 1);
}
