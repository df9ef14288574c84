#include "leaderboard/ingest_server.h"

#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "greenbench/error.h"
#include "leaderboard/coalescer.h"
#include "util/atomic_file.h"

namespace greenbench {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kResultsPath = "/api/v1/results";
constexpr const char* kHealthPath = "/api/v1/health";

// httplib::Server with two things 0.11.4 does not offer: a listen backlog
// larger than the 5 compiled into Debian's libcpp-httplib (a burst of
// clients would otherwise see SYNs dropped and 1 s retransmits), and closing
// a socket that was bound but never served.
class Server : public httplib::Server {
 public:
  void widen_backlog() {
    const socket_t sock = svr_sock_;
    if (sock != INVALID_SOCKET) ::listen(sock, SOMAXCONN);  // Linux: adjusts a listening socket's backlog
  }
  void close_unserved() {
    const socket_t sock = svr_sock_.exchange(INVALID_SOCKET);
    if (sock != INVALID_SOCKET) {
      ::shutdown(sock, SHUT_RDWR);
      ::close(sock);
    }
  }
};

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  // Replace, not throw: a refusal may quote the upload's bytes (a parse error
  // does), which need not be UTF-8; throwing here answered 500, not 400.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n", "application/json");
}

// Content-Length as declared; -1 when absent or not a number.
long long declared_length(const httplib::Request& req) {
  if (!req.has_header("Content-Length")) return -1;
  const std::string value = req.get_header_value("Content-Length");
  if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return -1;
  errno = 0;
  const unsigned long long n = std::strtoull(value.c_str(), nullptr, 10);
  if (errno == ERANGE || n > static_cast<unsigned long long>(std::numeric_limits<long long>::max()))
    return std::numeric_limits<long long>::max();
  return static_cast<long long>(n);
}

bool is_temp_or_hidden(const std::string& name) {
  return name.empty() || name[0] == '.' || name.find(".tmp.") != std::string::npos;
}

}  // namespace

bool is_safe_record_name(const std::string& name) {
  if (name.empty() || name.size() > 200 || name[0] == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  });
}

struct IngestServer::Impl {
  struct Stored {
    std::string task, run_id;
  };

  IngestServerOptions options;
  Server server;
  int port = -1;
  std::thread listen_thread;
  std::atomic<bool> listen_returned{false};
  bool started = false;
  bool stopped = false;
  std::mutex lifecycle_mutex;
  std::unique_ptr<Coalescer> rebuilder;

  std::mutex store_mutex;                        // guards the two maps and the files under results_dir
  std::map<std::string, std::string> key_to_path;  // duplicate key -> path relative to results_dir
  std::map<std::string, Stored> stored;            // relative path -> ids

  std::atomic<long> n_stored{0}, n_duplicates{0}, n_invalid{0}, n_unauthorized{0}, n_too_large{0}, n_failed{0};
  long n_existing = 0, n_unreadable_existing = 0;

  void log(const std::string& line) const {
    if (options.log) options.log(line);
  }

  bool authorized(const httplib::Request& req) const {
    const std::string presented = bearer_token(req.get_header_value("Authorization"));
    return !presented.empty() && tokens_equal(presented, options.token);
  }

  void refuse_token(httplib::Response& res) {
    ++n_unauthorized;
    res.set_header("WWW-Authenticate", "Bearer");
    reply(res, 401, {{"error", "missing or wrong bearer token (send Authorization: Bearer <token>)"}});
  }

  void refuse_size(httplib::Response& res, long long declared) {
    ++n_too_large;
    json body = {{"error", "the record is larger than this server accepts (" + std::to_string(options.max_bytes) +
                               " bytes)"},
                 {"max_bytes", options.max_bytes}};
    if (declared >= 0) body["bytes"] = declared;
    reply(res, 413, body);
  }

  // Before the body is read: the token, then the declared length. Handled
  // here, a refused upload costs the server no more than its headers.
  bool refuse_early(const httplib::Request& req, httplib::Response& res) {
    if (req.method != "POST" || req.path != kResultsPath) return false;
    if (!authorized(req)) {
      refuse_token(res);
      return true;
    }
    const long long declared = declared_length(req);
    if (declared > static_cast<long long>(options.max_bytes)) {
      refuse_size(res, declared);
      return true;
    }
    return false;
  }

  void scan_existing() {
    std::error_code ec;
    fs::create_directories(options.results_dir, ec);
    if (ec) throw Error("cannot create the results folder " + options.results_dir + ": " + ec.message());
    if (!fs::is_directory(options.results_dir)) throw Error(options.results_dir + " is not a folder");
    const fs::path root(options.results_dir);
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) throw Error("cannot read the results folder " + options.results_dir + ": " + ec.message());
    std::vector<fs::path> files;
    for (; it != end; it.increment(ec)) {
      if (ec) throw Error("cannot read the results folder " + options.results_dir + ": " + ec.message());
      const std::string name = it->path().filename().string();
      if (it->is_directory(ec)) {
        if (!name.empty() && name[0] == '.') it.disable_recursion_pending();
        continue;
      }
      if (is_temp_or_hidden(name) || it->path().extension() != ".json" || !it->is_regular_file(ec)) continue;
      files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      const std::string rel = path.lexically_relative(root).generic_string();
      IngestVerdict v;
      try {
        v = options.verdict(read_file(path.string()));
      } catch (const std::exception& e) {
        v.ok = false;
        v.errors = {e.what()};
      }
      if (!v.ok) {
        ++n_unreadable_existing;
        continue;
      }
      const std::string key = v.duplicate_key.empty() ? v.task + "/" + v.run_id : v.duplicate_key;
      if (!key_to_path.emplace(key, rel).second)
        log("note: " + rel + " has the same key as " + key_to_path[key] + " (" + key + ")");
      stored[rel] = Stored{v.task, v.run_id};
      ++n_existing;
    }
  }

  void handle_post(const httplib::Request& req, httplib::Response& res) {
    // The early checks ran already (pre-routing); they are cheap, so again.
    if (!authorized(req)) return refuse_token(res);
    if (req.body.size() > options.max_bytes) return refuse_size(res, static_cast<long long>(req.body.size()));

    IngestVerdict v;
    try {
      v = options.verdict(req.body);
    } catch (const std::exception& e) {
      v = IngestVerdict{};
      v.errors = {std::string("the record could not be checked: ") + e.what()};
    } catch (...) {
      v = IngestVerdict{};
      v.errors = {"the record could not be checked"};
    }
    if (v.ok) {
      if (!is_safe_record_name(v.task))
        v.errors.push_back("task \"" + v.task + "\" cannot be a folder name (allowed: A-Z a-z 0-9 _ . -, not starting with '.')");
      if (!is_safe_record_name(v.run_id))
        v.errors.push_back("run_id \"" + v.run_id + "\" cannot be a file name (allowed: A-Z a-z 0-9 _ . -, not starting with '.')");
      v.ok = v.errors.empty();
    }
    if (!v.ok) {
      ++n_invalid;
      if (v.errors.empty()) v.errors.push_back("the record was refused");
      return reply(res, 400, {{"error", "the record is not valid"}, {"errors", v.errors}});
    }

    const std::string key = v.duplicate_key.empty() ? v.task + "/" + v.run_id : v.duplicate_key;
    const std::string rel = v.task + "/" + v.run_id + ".json";
    std::string conflict;
    {
      // Check and store as one step: of two uploads with one key, one stores.
      std::lock_guard<std::mutex> lock(store_mutex);
      auto it = key_to_path.find(key);
      std::error_code ec;
      if (it != key_to_path.end()) {
        conflict = it->second;
      } else if (stored.count(rel) > 0 || fs::exists(fs::path(options.results_dir) / rel, ec)) {
        conflict = rel;  // another key, same file: never overwrite
      } else {
        try {
          write_file_atomic((fs::path(options.results_dir) / rel).string(), req.body);
        } catch (const std::exception& e) {
          ++n_failed;
          log(std::string("error: ") + e.what());
          return reply(res, 500, {{"error", "the server could not store the record; try again later"}});
        }
        key_to_path.emplace(key, rel);
        stored[rel] = Stored{v.task, v.run_id};
      }
    }
    if (!conflict.empty()) {
      ++n_duplicates;
      bool identical = false;
      try {
        identical = read_file((fs::path(options.results_dir) / conflict).string()) == req.body;
      } catch (const std::exception&) {
      }
      return reply(res, 409,
                   {{"error", identical ? "this record is already stored" : "another record with the same key is already stored"},
                    {"stored", conflict},
                    {"key", key},
                    {"identical", identical}});
    }
    ++n_stored;
    if (rebuilder) rebuilder->request();
    reply(res, 201, {{"stored", rel}, {"task", v.task}, {"run_id", v.run_id}});
  }

  void handle_list(httplib::Response& res) {
    json list = json::array();
    {
      std::lock_guard<std::mutex> lock(store_mutex);
      for (const auto& [rel, ids] : stored) list.push_back({{"stored", rel}, {"task", ids.task}, {"run_id", ids.run_id}});
    }
    reply(res, 200, {{"count", list.size()}, {"results", list}});
  }
};

IngestServer::IngestServer(IngestServerOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.options = std::move(options);
  IngestServerOptions& o = m.options;
  if (o.token.empty()) throw Error("the server needs a bearer token (an empty token would let anyone upload)");
  if (!o.verdict) throw Error("the server needs a verdict function to check uploaded records");
  if (o.results_dir.empty()) throw Error("the server needs a results folder (--results)");
  if (o.max_bytes == 0) throw Error("--max-bytes must be at least 1");
  if (!o.site_dir.empty() && !fs::is_directory(o.site_dir))
    throw Error("the site folder " + o.site_dir + " does not exist (build the site first, or point --site at it)");
  m.scan_existing();

  Server& s = m.server;
  const int threads = o.threads > 0 ? o.threads : std::max(8, static_cast<int>(std::thread::hardware_concurrency()));
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  // httplib's default on Linux is SO_REUSEPORT, with which a second server
  // binds the same port and the kernel splits the uploads between the two.
  s.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  s.set_payload_max_length(o.max_bytes);  // the backstop for chunked bodies, which declare no length
  s.set_read_timeout(10, 0);
  s.set_write_timeout(10, 0);
  s.set_keep_alive_timeout(2);
  if (!o.site_dir.empty() && !s.set_mount_point("/", o.site_dir))
    throw Error("cannot serve the site folder " + o.site_dir);

  Impl* impl = &m;
  // With "Expect: 100-continue" (curl sends it for large bodies; submit always
  // does for them) a refusal goes out before a byte of the body is sent.
  // httplib 0.11.4 writes this response as is: status and Content-Length
  // must be set here, or it sends "HTTP/1.1 -1" and no length.
  s.set_expect_100_continue_handler([impl](const httplib::Request& req, httplib::Response& res) {
    if (!impl->refuse_early(req, res)) return 100;
    res.set_header("Connection", "close");
    res.set_header("Content-Length", std::to_string(res.body.size()));
    return res.status;
  });
  // Without Expect: still before httplib reads (or, for 413, skips) the body.
  s.set_pre_routing_handler([impl](const httplib::Request& req, httplib::Response& res) {
    if (!impl->refuse_early(req, res)) return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
  s.Post(kResultsPath, [impl](const httplib::Request& req, httplib::Response& res) { impl->handle_post(req, res); });
  s.Get(kResultsPath, [impl](const httplib::Request&, httplib::Response& res) { impl->handle_list(res); });
  s.Get(kHealthPath, [impl](const httplib::Request&, httplib::Response& res) { reply(res, 200, {{"ok", true}}); });
  // Statuses httplib answers itself (404, 413 on a chunked body, 400 on a
  // bad request line) get a JSON body too.
  s.set_error_handler(httplib::Server::HandlerWithResponse([impl](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 413) {
      impl->refuse_size(res, -1);
      return httplib::Server::HandlerResponse::Handled;
    }
    std::string message = "HTTP " + std::to_string(res.status);
    if (res.status == 404) message = "nothing at " + req.path;
    reply(res, res.status, {{"error", message}});
    return httplib::Server::HandlerResponse::Handled;
  }));
  s.set_exception_handler([impl](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    impl->log("error: " + what);
    reply(res, 500, {{"error", "internal error"}});
  });
  if (o.log) {
    s.set_logger([impl](const httplib::Request& req, const httplib::Response& res) {
      impl->log(req.remote_addr + " " + req.method + " " + req.path + " " + std::to_string(res.status));
    });
  }

  if (o.port == 0) {
    m.port = s.bind_to_any_port(o.host);
  } else if (o.port > 0 && o.port < 65536) {
    m.port = s.bind_to_port(o.host, o.port) ? o.port : -1;
  } else {
    throw Error("--port " + std::to_string(o.port) + " is not a port number (0-65535)");
  }
  if (m.port <= 0)
    throw Error("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                " (is the port in use, or the address not one of this machine's?)");
  s.widen_backlog();

  if (o.rebuild) {
    m.rebuilder = std::make_unique<Coalescer>(o.rebuild, o.rebuild_settle, [impl](const std::string& what) {
      impl->log("error: rebuilding the leaderboard failed: " + what);
    });
  }
}

IngestServer::~IngestServer() { stop(); }

void IngestServer::start() {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> lock(m.lifecycle_mutex);
  if (m.stopped) throw Error("the server was stopped; make a new one");
  if (m.started) return;
  m.started = true;
  m.listen_thread = std::thread([&m] {
    m.server.listen_after_bind();
    m.listen_returned = true;
  });
  // stop() is a no-op in httplib until the listen loop runs: wait for it.
  while (!m.server.is_running()) {
    if (m.listen_returned) throw Error("the server stopped as it started (port " + std::to_string(m.port) + ")");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // The site may be older than the records (a crash between a store and its
  // rebuild, records copied in while it was down): rebuilt once at start.
  if (m.rebuilder) m.rebuilder->request();
}

void IngestServer::stop() {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> lock(m.lifecycle_mutex);
  if (m.stopped) return;
  m.stopped = true;
  if (m.started) {
    m.server.stop();  // closes the listening socket; the pool finishes what it has
    if (m.listen_thread.joinable()) m.listen_thread.join();
  } else {
    m.server.close_unserved();
  }
  if (m.rebuilder) m.rebuilder->stop(true);  // a store's rebuild still runs
}

int IngestServer::port() const { return impl_->port; }

std::string IngestServer::url() const {
  const std::string& host = impl_->options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

IngestStats IngestServer::stats() const {
  const Impl& m = *impl_;
  IngestStats s;
  s.stored = m.n_stored;
  s.duplicates = m.n_duplicates;
  s.invalid = m.n_invalid;
  s.unauthorized = m.n_unauthorized;
  s.too_large = m.n_too_large;
  s.failed = m.n_failed;
  s.rebuilds = m.rebuilder ? m.rebuilder->runs() : 0;
  s.existing = m.n_existing;
  s.unreadable_existing = m.n_unreadable_existing;
  return s;
}

}  // namespace greenbench
