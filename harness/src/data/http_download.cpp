// Downloads with libcurl: bytes go to dest + ".part" and resume from there,
// transient failures are retried with exponential back-off, and the file is
// renamed into place only after its sha256 has been checked.
#include "data/http_download.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "greenbench/error.h"
#include "util/progress.h"
#include "util/sha256.h"

namespace greenbench::detail {
namespace {
namespace fs = std::filesystem;

constexpr double kMaxRetryDelayS = 60.0;
constexpr int kMaxRestarts = 2;  // restarts from zero (server ignored Range, .part too long)
constexpr long kMaxRedirects = 10;

void init_curl_once() {
  static std::once_flag once;
  static CURLcode rc = CURLE_OK;
  std::call_once(once, [] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (rc != CURLE_OK) throw Error(std::string("cannot initialise libcurl: ") + curl_easy_strerror(rc));
}

std::string normalise_sha256(const std::string& sha256) {
  std::string out;
  for (char c : sha256) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  bool hex = std::all_of(out.begin(), out.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  if (!out.empty() && (out.size() != 64 || !hex))
    throw Error("invalid sha256 \"" + sha256 + "\": expected 64 hexadecimal digits");
  return out;
}

bool starts_with_ci(const std::string& s, const char* prefix) {
  size_t n = std::strlen(prefix);
  return s.size() >= n && ::strncasecmp(s.c_str(), prefix, n) == 0;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// The ".part" file, opened for appending and locked so that two processes
// fetching the same file cannot interleave their bytes.
class PartFile {
 public:
  explicit PartFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error("cannot open " + path_ + " for writing: " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw Error("another process is downloading into " + path_ + "; wait for it to finish");
    }
  }
  ~PartFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  const std::string& path() const { return path_; }
  int64_t size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw Error("cannot stat " + path_ + ": " + std::strerror(errno));
    return static_cast<int64_t>(st.st_size);
  }
  void truncate() {
    if (::ftruncate(fd_, 0) != 0) throw Error("cannot truncate " + path_ + ": " + std::strerror(errno));
  }
  /// False with errno set on failure (disk full, ...).
  bool write_all(const char* data, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, data, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      data += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }
  void sync() {
    if (::fsync(fd_) != 0) throw Error("cannot flush " + path_ + ": " + std::strerror(errno));
  }

 private:
  std::string path_;
  int fd_ = -1;
};

// State shared with libcurl's callbacks during one request.
struct Transfer {
  CURL* curl = nullptr;
  PartFile* part = nullptr;
  bool is_http = false;
  bool progress = false;
  std::string label;
  bool first_body_byte = true;
  bool body_is_error_page = false;
  int write_errno = 0;
  std::string status_line;    // of the latest response (redirects each start a new one)
  std::string content_range;  // of the latest response
  std::unique_ptr<ProgressBar> bar;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line = trim(std::string(data, size * n));
  if (starts_with_ci(line, "HTTP/")) {
    t->status_line = line;
    t->content_range.clear();
  } else if (starts_with_ci(line, "Content-Range:")) {
    t->content_range = trim(line.substr(std::strlen("Content-Range:")));
  }
  return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t bytes = size * n;
  if (t->first_body_byte) {
    t->first_body_byte = false;
    long code = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
    t->body_is_error_page = t->is_http && (code < 200 || code >= 300);
    if (!t->body_is_error_page && t->progress) {
      curl_off_t length = -1;
      curl_easy_getinfo(t->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
      t->bar = std::make_unique<ProgressBar>(t->label, length > 0 ? static_cast<int64_t>(length) : 0, "B");
    }
  }
  // An error page is not part of the file: read it (the status says enough) and drop it.
  if (t->body_is_error_page) return bytes;
  if (!t->part->write_all(data, bytes)) {
    t->write_errno = errno;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  if (t->bar) t->bar->advance(static_cast<int64_t>(bytes));
  return bytes;
}

// "bytes */1234" (or "bytes 0-9/1234") -> 1234; -1 if absent or unparsable.
int64_t content_range_total(const std::string& content_range) {
  size_t slash = content_range.rfind('/');
  if (slash == std::string::npos) return -1;
  try {
    return std::stoll(content_range.substr(slash + 1));
  } catch (const std::exception&) {
    return -1;
  }
}

enum class Verdict { kDone, kRetry, kRestart, kFatal };

struct AttemptResult {
  Verdict verdict;
  std::string message;
};

bool is_transient(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_CONNECT:     // refused, or the host is briefly unreachable
    case CURLE_OPERATION_TIMEDOUT:  // connect time-out or stall
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:          // connection reset
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

// One request. With use_range, continues from the end of the .part file;
// without, empties it first.
AttemptResult run_attempt(const std::string& url, PartFile& part, bool use_range, const FetchOptions& options,
                          const std::string& label) {
  if (!use_range) part.truncate();
  const int64_t offset = part.size();

  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw Error("cannot create a libcurl handle");
  char errbuf[CURL_ERROR_SIZE] = {0};

  Transfer t;
  t.curl = curl.get();
  t.part = &part;
  t.is_http = starts_with_ci(url, "http://") || starts_with_ci(url, "https://");
  t.progress = options.progress;
  t.label = offset > 0 ? label + " (resuming at " + std::to_string(offset) + " B)" : label;

  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a threaded program
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, kMaxRedirects);
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85 replaced the bit masks with strings
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,ftp,ftps,file");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS,
                   CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FTP | CURLPROTO_FTPS | CURLPROTO_FILE);
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
  curl_easy_setopt(c, CURLOPT_USERAGENT, "greenbench-fetch/1");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::max(1L, options.connect_timeout_s));
  // Stall detection: below 1 byte/s for stall_timeout_s seconds aborts the transfer.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, std::max(1L, options.stall_timeout_s));
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  if (offset > 0) curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(offset));

  CURLcode rc = curl_easy_perform(c);
  if (t.bar) t.bar->finish(rc == CURLE_OK ? "" : "interrupted");
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);

  if (t.is_http && code == 416 && offset > 0) {
    // The .part reaches past what the server has: complete if exactly its size.
    int64_t total = content_range_total(t.content_range);
    if (total == offset) return {Verdict::kDone, ""};
    return {Verdict::kRestart, "the partial download (" + std::to_string(offset) +
                                   " B) does not fit the file on the server (HTTP 416); starting again"};
  }
  if (t.is_http && code >= 400) {
    std::string status = t.status_line.empty() ? "HTTP " + std::to_string(code) : t.status_line;
    // Drop the protocol version: "HTTP/1.1 404 Not Found" -> "HTTP 404 Not Found".
    if (starts_with_ci(status, "HTTP/")) {
      size_t space = status.find(' ');
      if (space != std::string::npos) status = "HTTP" + status.substr(space);
    }
    return {code >= 500 ? Verdict::kRetry : Verdict::kFatal, "server answered " + status};
  }
  if (rc == CURLE_RANGE_ERROR) {
    return {Verdict::kRestart, "the server does not support resuming (it ignored the Range request); "
                               "starting again from zero"};
  }
  if (rc == CURLE_WRITE_ERROR && t.write_errno != 0) {
    return {Verdict::kFatal, "cannot write " + part.path() + ": " + std::strerror(t.write_errno)};
  }
  if (rc != CURLE_OK) {
    std::string detail = errbuf[0] != '\0' ? trim(errbuf) : curl_easy_strerror(rc);
    std::string message;
    if (rc == CURLE_OPERATION_TIMEDOUT)
      message = "timed out (" + detail + ")";
    else if (rc == CURLE_COULDNT_CONNECT)
      message = "could not connect: " + detail + " (is the host up and the network reachable?)";
    else
      message = detail;
    return {is_transient(rc) ? Verdict::kRetry : Verdict::kFatal, message};
  }
  if (t.is_http && (code < 200 || code >= 300)) {
    return {Verdict::kFatal, "unexpected HTTP status " + std::to_string(code) +
                                 (t.status_line.empty() ? "" : " (" + t.status_line + ")")};
  }
  return {Verdict::kDone, ""};
}

std::string human_bytes(int64_t n) {
  char buf[32];
  if (n >= (int64_t{1} << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", n / double(int64_t{1} << 30));
  else if (n >= (1 << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", n / double(1 << 20));
  else if (n >= (1 << 10)) std::snprintf(buf, sizeof buf, "%.1f KiB", n / double(1 << 10));
  else std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(n));
  return buf;
}

}  // namespace

DownloadOutcome download_file_checked(const std::string& url, const std::string& dest, const std::string& sha256,
                                      const FetchOptions& options) {
  const std::string expected = normalise_sha256(sha256);
  if (url.empty()) throw Error("cannot download to " + dest + ": the URL is empty");
  if (dest.empty()) throw Error("cannot download " + url + ": no destination given");

  std::error_code ec;
  if (fs::exists(fs::symlink_status(dest, ec))) {
    if (!fs::is_regular_file(dest, ec)) throw Error("cannot download to " + dest + ": it exists and is not a file");
    if (expected.empty()) {
      std::fprintf(stderr, "warning: keeping existing %s: no sha256 is known for %s, so it cannot be verified\n",
                   dest.c_str(), url.c_str());
      return DownloadOutcome::kAlreadyPresent;
    }
    const std::string actual = sha256_file(dest);
    if (actual == expected) return DownloadOutcome::kAlreadyPresent;
    // Keep the old file until a verified replacement is renamed over it.
    std::fprintf(stderr, "warning: %s has sha256 %s, expected %s; downloading it again\n", dest.c_str(),
                 actual.c_str(), expected.c_str());
  }

  init_curl_once();
  const fs::path dest_path(dest);
  if (dest_path.has_parent_path()) {
    fs::create_directories(dest_path.parent_path(), ec);
    if (ec) throw Error("cannot create " + dest_path.parent_path().string() + ": " + ec.message());
  }
  PartFile part(dest + ".part");
  const std::string label = dest_path.filename().string();
  const int max_attempts = std::max(1, options.max_attempts);

  bool use_range = true;
  int restarts = 0;
  for (int attempt = 1;;) {
    AttemptResult r = run_attempt(url, part, use_range, options, label);
    if (r.verdict == Verdict::kDone) break;
    if (r.verdict == Verdict::kRestart && restarts < kMaxRestarts) {
      // Not a failure of the network: start over at once, without Range.
      ++restarts;
      std::fprintf(stderr, "note: %s: %s\n", url.c_str(), r.message.c_str());
      use_range = false;
      continue;
    }
    if (r.verdict != Verdict::kRetry) throw Error("cannot download " + url + ": " + r.message);
    if (attempt >= max_attempts) {
      std::string kept;
      if (part.size() > 0)
        kept = "; the " + human_bytes(part.size()) + " received so far are kept in " + part.path() +
               " and the next try resumes from there";
      throw Error("cannot download " + url + ": " + r.message + " (gave up after " + std::to_string(attempt) +
                  (attempt == 1 ? " attempt" : " attempts") + kept + ")");
    }
    double delay = std::min(kMaxRetryDelayS, std::max(0.0, options.retry_delay_s) * std::pow(2.0, attempt - 1));
    std::fprintf(stderr, "warning: downloading %s failed (attempt %d of %d): %s; retrying in %.3g s\n", url.c_str(),
                 attempt, max_attempts, r.message.c_str(), delay);
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    ++attempt;
    use_range = true;  // keep what arrived and continue from there
  }

  part.sync();
  const std::string actual = sha256_file(part.path());
  if (!expected.empty() && actual != expected) {
    ::unlink(part.path().c_str());
    throw Error("checksum mismatch for " + url + ": expected sha256 " + expected + ", got " + actual +
                "; the download was deleted (run again to retry; if it keeps failing the file on the server "
                "has changed)");
  }
  if (expected.empty()) {
    std::fprintf(stderr, "warning: no sha256 is known for %s, so it cannot be verified; its sha256 is %s\n",
                 url.c_str(), actual.c_str());
  }
  if (std::rename(part.path().c_str(), dest.c_str()) != 0) {
    throw Error("cannot rename " + part.path() + " to " + dest + ": " + std::strerror(errno));
  }
  return DownloadOutcome::kDownloaded;
}

}  // namespace greenbench::detail
