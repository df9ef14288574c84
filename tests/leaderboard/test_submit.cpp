// The submit client against what can go wrong: nothing listening, a server
// that does not answer in time, one that is busy (503, then 201), an
// endpoint that is not there, a host name that does not resolve, files it
// cannot send. The odd servers are plain httplib servers on loopback.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "leaderboard/submit_client.h"
#include "support.h"

using namespace greenbench;
using namespace greenbench::testing;

namespace {

// An httplib server on a background thread, any port on 127.0.0.1.
class PlainServer {
 public:
  PlainServer() { port_ = server.bind_to_any_port("127.0.0.1"); }
  ~PlainServer() { stop(); }
  void start() {
    thread_ = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void stop() {
    if (thread_.joinable()) {
      server.stop();
      thread_.join();
    }
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  httplib::Server server;

 private:
  int port_ = -1;
  std::thread thread_;
};

// A port on 127.0.0.1 where nothing listens: bound (so no one else takes it) but not listening.
class DeadPort {
 public:
  DeadPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~DeadPort() { ::close(fd_); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

SubmitOptions options_for(const std::string& url) {
  SubmitOptions o;
  o.url = url;
  o.token = "t0ken";
  o.timeout_s = 10;
  o.retries = 0;
  o.retry_delay_s = 0.01;
  return o;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("submit: nothing listening", "[submit]") {
  DeadPort dead;
  SubmitOptions o = options_for(dead.url());
  SubmitResult r = submit_record("r.json", make_record("a"), o);
  CHECK(r.outcome == SubmitOutcome::kFailed);
  CHECK(r.http_status == 0);
  CHECK(r.attempts == 1);
  CHECK_THAT(r.message, Catch::Contains("nothing is listening at " + dead.url() + "/api/v1/results"));

  // Refused is transient (a server restarting): retried, then given up.
  std::vector<std::string> retries;
  o.retries = 2;
  o.on_retry = [&](const std::string& line) { retries.push_back(line); };
  r = submit_record("r.json", make_record("a"), o);
  CHECK(r.attempts == 3);
  CHECK(retries.size() == 2);
  CHECK_THAT(r.message, Catch::Contains("nothing is listening") && Catch::Contains("gave up after 3 attempts"));
}

TEST_CASE("submit: a connection broken before the answer is retried", "[submit]") {
  // A listener that reads the start of each request and hangs up.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 16) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::atomic<int> hung_up{0};
  std::atomic<bool> done{false};
  std::thread rude([&] {
    while (!done) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int conn = ::accept(fd, nullptr, nullptr);
      if (conn < 0) continue;
      char buf[256];
      (void)!::recv(conn, buf, sizeof buf, 0);
      ::close(conn);
      ++hung_up;
    }
  });
  SubmitOptions o = options_for("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
  o.retries = 2;
  SubmitResult r = submit_record("a.json", make_record("a"), o);
  done = true;
  rude.join();
  ::close(fd);
  CHECK(r.outcome == SubmitOutcome::kFailed);
  CHECK(r.attempts == 3);
  CHECK(hung_up == 3);
  CHECK_THAT(r.message, Catch::Contains("the connection broke before the server answered") &&
                            Catch::Contains("gave up after 3 attempts"));
}

TEST_CASE("submit: a server that does not answer in time", "[submit]") {
  PlainServer slow;
  std::mutex m;
  std::condition_variable released;
  bool release = false;
  std::atomic<int> seen{0};
  slow.server.Post("/api/v1/results", [&](const httplib::Request&, httplib::Response& res) {
    ++seen;
    std::unique_lock<std::mutex> lock(m);
    released.wait_for(lock, std::chrono::seconds(10), [&] { return release; });
    res.status = 201;
  });
  slow.start();

  SubmitOptions o = options_for(slow.url());
  o.timeout_s = 0.5;
  const auto t0 = std::chrono::steady_clock::now();
  SubmitResult r = submit_record("r.json", make_record("a"), o);
  const double took = seconds_since(t0);
  CHECK(r.outcome == SubmitOutcome::kFailed);
  CHECK_THAT(r.message, Catch::Contains("timed out") && Catch::Contains("0.5 s"));
  CHECK(took >= 0.45);
  CHECK(took < 5);

  // A time-out is retried.
  o.retries = 1;
  r = submit_record("r.json", make_record("a"), o);
  CHECK(r.attempts == 2);
  CHECK(seen >= 1);  // (under load an attempt may time out before its request is read)
  {
    std::lock_guard<std::mutex> lock(m);
    release = true;
  }
  released.notify_all();
  slow.stop();  // before what its handler uses goes away
}

TEST_CASE("submit: 503 twice, then stored: retried with back-off", "[submit]") {
  PlainServer busy;
  std::atomic<int> attempts{0};
  std::vector<double> at;
  bool headers_ok = true;
  std::mutex m;
  const auto t0 = std::chrono::steady_clock::now();
  busy.server.Post("/api/v1/results", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(m);  // (Catch2 assertions are not for other threads)
      at.push_back(seconds_since(t0));
      headers_ok = headers_ok && req.get_header_value("Authorization") == "Bearer t0ken" &&
                   req.get_header_value("Content-Type") == "application/json" &&
                   req.get_header_value("Content-Length") == std::to_string(req.body.size()) &&
                   !req.body.empty();
    }
    if (++attempts <= 2) {
      res.status = 503;
      res.set_content("{\"error\": \"rebuilding\"}", "application/json");
      return;
    }
    res.status = 201;
    res.set_content("{\"stored\": \"sst2/a.json\"}", "application/json");
  });
  busy.start();

  SubmitOptions o = options_for(busy.url());
  o.retries = 3;
  o.retry_delay_s = 0.1;
  std::vector<std::string> notes;
  o.on_retry = [&](const std::string& line) { notes.push_back(line); };
  SubmitResult r = submit_record("a.json", make_record("a"), o);
  INFO(r.message);
  CHECK(r.outcome == SubmitOutcome::kStored);
  CHECK(r.stored == "sst2/a.json");
  CHECK(r.attempts == 3);
  CHECK(attempts == 3);
  REQUIRE(notes.size() == 2);
  CHECK_THAT(notes[0], Catch::Contains("HTTP 503") && Catch::Contains("rebuilding") && Catch::Contains("0.1 s"));
  CHECK_THAT(notes[1], Catch::Contains("0.2 s"));
  REQUIRE(at.size() == 3);
  CHECK(at[1] - at[0] >= 0.09);  // back-off doubles
  CHECK(at[2] - at[1] >= 0.19);
  CHECK(headers_ok);
  busy.stop();
}

TEST_CASE("submit: what is not retried", "[submit]") {
  PlainServer server;
  std::atomic<int> hits{0};
  std::atomic<int> status{400};
  server.server.Post("/api/v1/results", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = status;
    if (status == 400) res.set_content(R"({"error": "bad", "errors": ["metrics: missing", "seed: not a number"]})", "application/json");
    if (status == 500) res.set_content("<html>oops</html>", "text/html");
  });
  server.start();
  SubmitOptions o = options_for(server.url());
  o.retries = 3;

  SubmitResult r = submit_record("a.json", make_record("a"), o);
  CHECK(r.http_status == 400);
  CHECK(r.attempts == 1);
  CHECK(r.errors == std::vector<std::string>{"metrics: missing", "seed: not a number"});
  status = 500;
  r = submit_record("a.json", make_record("a"), o);
  CHECK(r.attempts == 1);
  CHECK_THAT(r.message, Catch::Contains("HTTP 500") && Catch::Contains("<html>oops</html>"));
  CHECK(hits == 2);

  // An endpoint that is not there.
  o.url = server.url() + "/elsewhere";
  r = submit_record("a.json", make_record("a"), o);
  CHECK(r.http_status == 404);
  CHECK_THAT(r.message, Catch::Contains("no results endpoint"));
  server.stop();
}

TEST_CASE("submit: a host name that does not resolve", "[submit]") {
  SubmitOptions o = options_for("http://greenbench-test.invalid:8080");
  o.retries = 3;
  SubmitResult r = submit_record("a.json", make_record("a"), o);
  CHECK(r.outcome == SubmitOutcome::kFailed);
  CHECK(r.attempts == 1);
  CHECK_THAT(r.message, Catch::Contains("cannot resolve the host name") && Catch::Contains("DNS"));
}

TEST_CASE("submit: files it cannot send, and the summary", "[submit]") {
  ServerFixture f;
  IngestServer server(f.options());
  server.start();
  write_file(f.dir / "in/good.json", make_record("good"));
  write_file(f.dir / "in/empty.json", "");
  write_file(f.dir / "in/bad.json", "{\"run_id\": 1}");
  std::filesystem::create_directories(f.dir / "in/folder.json");
  const std::vector<std::string> files = {f.dir / "in/good.json", f.dir / "in/missing.json", f.dir / "in/empty.json",
                                          f.dir / "in/folder.json", f.dir / "in/bad.json", f.dir / "in/good.json"};
  SubmitOptions o = options_for(server.url());
  o.token = f.token;

  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  SubmitSummary s = submit_files(files, o, out, err);
  auto read_back = [](std::FILE* file) {
    std::rewind(file);
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, file)) > 0) text.append(buf, n);
    std::fclose(file);
    return text;
  };
  const std::string out_text = read_back(out), err_text = read_back(err);
  INFO(out_text << err_text);
  CHECK(s.stored == 1);
  CHECK(s.already_there == 1);
  CHECK(s.failed == 4);
  CHECK(s.exit_code() == 1);
  CHECK_THAT(out_text, Catch::Contains("stored   " + f.dir / "in/good.json" + " -> sst2/good.json"));
  CHECK_THAT(out_text, Catch::Contains("already  " + f.dir / "in/good.json" + " -> sst2/good.json (the identical"));
  CHECK_THAT(out_text, Catch::Contains("submit: 6 files to " + server.url() +
                                       "/api/v1/results: 1 stored, 1 already there, 4 failed"));
  CHECK_THAT(err_text, Catch::Contains("cannot read " + f.dir / "in/missing.json" + ": No such file"));
  CHECK_THAT(err_text, Catch::Contains(f.dir / "in/empty.json" + " is empty"));
  CHECK_THAT(err_text, Catch::Contains(f.dir / "in/folder.json" + " is not a regular file"));
  CHECK_THAT(err_text, Catch::Contains("FAILED   " + f.dir / "in/bad.json" + ": the server refused the record (HTTP 400)"));
  CHECK_THAT(err_text, Catch::Contains("- run_id: expected a string"));

  s = submit_files({f.dir / "in/good.json"}, o, nullptr, nullptr);
  CHECK(s.exit_code() == 0);  // already there counts as done
}
