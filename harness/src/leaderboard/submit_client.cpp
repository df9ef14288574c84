#include "leaderboard/submit_client.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "greenbench/error.h"

namespace greenbench {
namespace {

using nlohmann::json;

constexpr const char* kEndpointPath = "/api/v1/results";
constexpr std::size_t kMaxAnswerBytes = 1 << 20;
// Bodies above this go with "Expect: 100-continue", so that a refusal
// (token, size) comes before the body is sent; smaller ones in one go.
constexpr std::size_t kExpectContinueFrom = 64 << 10;

void init_curl_once() {
  static std::once_flag once;
  static CURLcode rc = CURLE_OK;
  std::call_once(once, [] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (rc != CURLE_OK) throw Error(std::string("cannot initialise libcurl: ") + curl_easy_strerror(rc));
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* answer = static_cast<std::string*>(user);
  const size_t bytes = size * n;
  if (answer->size() < kMaxAnswerBytes) answer->append(data, std::min(bytes, kMaxAnswerBytes - answer->size()));
  return bytes;
}

struct Attempt {
  SubmitResult result;
  bool transient = false;
  double retry_after_s = 0;  // from the server's Retry-After, if any
};

// The server's "error" (JSON) or the start of whatever it sent.
std::string server_says(const json& answer, const std::string& raw) {
  if (answer.is_object() && answer.contains("error") && answer["error"].is_string())
    return answer["error"].get<std::string>();
  std::string text = trim(raw.substr(0, 200));
  for (auto& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

Attempt attempt_once(const std::string& endpoint, const std::string& body, const SubmitOptions& options) {
  Attempt a;
  std::unique_ptr<CURL, void (*)(CURL*)> handle(curl_easy_init(), curl_easy_cleanup);
  if (!handle) throw Error("cannot create a libcurl handle");
  CURL* c = handle.get();
  char errbuf[CURL_ERROR_SIZE] = {0};
  std::string raw;

  curl_slist* headers = nullptr;
  for (const std::string& h :
       {std::string("Authorization: Bearer ") + options.token, std::string("Content-Type: application/json"),
        std::string("Accept: application/json"),
        std::string(body.size() >= kExpectContinueFrom ? "Expect: 100-continue" : "Expect:")}) {
    curl_slist* grown = curl_slist_append(headers, h.c_str());
    if (!grown) {
      curl_slist_free_all(headers);
      throw Error("out of memory building the request");
    }
    headers = grown;
  }
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_list(headers, curl_slist_free_all);

  const long timeout_ms = std::max(1L, static_cast<long>(std::lround(options.timeout_s * 1000.0)));
  curl_easy_setopt(c, CURLOPT_URL, endpoint.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a threaded program
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // never carry the token elsewhere
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
  curl_easy_setopt(c, CURLOPT_USERAGENT, "greenbench-submit/1");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));  // Content-Length
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &raw);

  const CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  a.result.http_status = code;
  const std::string detail = errbuf[0] != '\0' ? trim(errbuf) : curl_easy_strerror(rc);
  char timeout_text[32];
  std::snprintf(timeout_text, sizeof timeout_text, "%g s", options.timeout_s);

  if (rc != CURLE_OK) {
    long os_errno = 0;
    curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
    curl_off_t connected_us = 0;
    curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connected_us);
    std::string& m = a.result.message;
    switch (rc) {
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
        m = "cannot resolve the host name of " + endpoint + " (DNS): " + detail;
        break;
      case CURLE_COULDNT_CONNECT:
        if (os_errno == ECONNREFUSED) {
          m = "nothing is listening at " + endpoint + " (connection refused)";
          a.transient = true;  // a server restarting
        } else if (os_errno == EHOSTUNREACH || os_errno == ENETUNREACH || os_errno == EADDRNOTAVAIL) {
          m = "cannot reach the host of " + endpoint + " (host or network unreachable): " + detail;
        } else if (os_errno == ETIMEDOUT) {
          m = "could not connect to " + endpoint + " within " + timeout_text + " (" + detail + ")";
          a.transient = true;
        } else {
          m = "could not connect to " + endpoint + ": " + detail;
        }
        break;
      case CURLE_OPERATION_TIMEDOUT:
        a.transient = true;
        if (connected_us == 0)
          m = "could not connect to " + endpoint + " within " + timeout_text +
              " (is the host up? a firewall dropping packets?)";
        else
          m = "timed out: the server did not answer within " + std::string(timeout_text) + " (--timeout)";
        break;
      case CURLE_SEND_ERROR:
      case CURLE_RECV_ERROR:
      case CURLE_GOT_NOTHING:
      case CURLE_PARTIAL_FILE:
        a.transient = true;
        m = "the connection broke before the server answered (" + detail + ")";
        break;
      default:
        m = "cannot upload to " + endpoint + ": " + detail;
        break;
    }
    return a;
  }

  json answer;
  try {
    answer = json::parse(raw);
  } catch (const std::exception&) {
    answer = json();
  }
  const std::string said = server_says(answer, raw);
  const auto text_of = [&](const char* field) {
    return answer.is_object() && answer.contains(field) && answer[field].is_string() ? answer[field].get<std::string>()
                                                                                     : std::string();
  };
  std::string& m = a.result.message;
  switch (code) {
    case 200:
    case 201:
      a.result.outcome = SubmitOutcome::kStored;
      a.result.stored = text_of("stored");
      m = "stored" + (a.result.stored.empty() ? std::string() : " as " + a.result.stored);
      break;
    case 409: {
      a.result.stored = text_of("stored");
      const bool identical = answer.is_object() && answer.value("identical", false);
      if (identical) {
        a.result.outcome = SubmitOutcome::kAlreadyThere;
        m = "already on the server (identical record at " + a.result.stored + ")";
      } else {
        m = "a different record with the same key is already on the server (" + a.result.stored +
            "); the server keeps the first (HTTP 409)";
      }
      break;
    }
    case 400:
      if (answer.is_object() && answer.contains("errors") && answer["errors"].is_array())
        for (const auto& e : answer["errors"]) a.result.errors.push_back(e.is_string() ? e.get<std::string>() : e.dump());
      if (a.result.errors.empty() && !said.empty()) a.result.errors.push_back(said);
      m = "the server refused the record (HTTP 400)";
      break;
    case 401:
    case 403:
      m = "the server refused the token (HTTP " + std::to_string(code) + "); check --token-file";
      break;
    case 413: {
      m = "the record is too large for the server (HTTP 413";
      if (answer.is_object() && answer.contains("max_bytes") && answer["max_bytes"].is_number())
        m += "; it accepts at most " + std::to_string(answer["max_bytes"].get<long long>()) + " bytes";
      m += ")";
      break;
    }
    case 404:
      m = "no results endpoint at " + endpoint + " (HTTP 404); is --to a greenbench serve server?";
      break;
    case 429:
    case 502:
    case 503:
    case 504: {
      a.transient = true;
      curl_off_t retry_after = 0;
      if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0)
        a.retry_after_s = static_cast<double>(retry_after);
      m = "the server is busy or unavailable (HTTP " + std::to_string(code) + ")" + (said.empty() ? "" : ": " + said);
      break;
    }
    default:
      m = "unexpected answer from the server (HTTP " + std::to_string(code) + ")" + (said.empty() ? "" : ": " + said);
      break;
  }
  return a;
}

}  // namespace

std::string results_endpoint(const std::string& url) {
  const std::string u = trim(url);
  const size_t scheme_end = u.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : u.substr(0, scheme_end);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (scheme != "http" && scheme != "https")
    throw Error("--to " + url + ": expected an http:// or https:// URL of a greenbench serve server");
  if (u.find_first_of("?#") != std::string::npos) throw Error("--to " + url + ": no query or fragment, please");
  const size_t path_start = u.find('/', scheme_end + 3);
  if (path_start == scheme_end + 3) throw Error("--to " + url + ": no host");
  std::string root = path_start == std::string::npos ? u : u.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "" : u.substr(path_start);
  while (!path.empty() && path.back() == '/') path.pop_back();
  const std::string suffix = kEndpointPath;
  if (path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
    return root + path;
  return root + path + suffix;  // a server root, or one behind a proxy's prefix
}

SubmitResult submit_record(const std::string& label, const std::string& body, const SubmitOptions& options) {
  init_curl_once();
  const std::string endpoint = results_endpoint(options.url);
  if (options.token.empty()) throw Error("no bearer token to send (--token-file)");
  const int max_attempts = 1 + std::max(0, options.retries);
  for (int attempt = 1;; ++attempt) {
    Attempt a = attempt_once(endpoint, body, options);
    a.result.label = label;
    a.result.attempts = attempt;
    if (!a.transient) return a.result;
    if (attempt >= max_attempts) {
      if (attempt > 1) a.result.message += " (gave up after " + std::to_string(attempt) + " attempts)";
      return a.result;
    }
    double delay = std::max(0.0, options.retry_delay_s) * std::pow(2.0, attempt - 1);
    delay = std::max(delay, a.retry_after_s);
    delay = std::min(delay, std::max(0.0, options.max_retry_delay_s));
    if (options.on_retry) {
      char text[64];
      std::snprintf(text, sizeof text, "; retrying in %.3g s (attempt %d of %d)", delay, attempt + 1, max_attempts);
      options.on_retry(label + ": " + a.result.message + text);
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
  }
}

SubmitResult submit_file(const std::string& path, const SubmitOptions& options) {
  SubmitResult refused;
  refused.label = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    refused.message = "cannot read " + path + ": " + std::strerror(errno);
    return refused;
  }
  if (!S_ISREG(st.st_mode)) {
    refused.message = path + " is not a regular file";
    return refused;
  }
  if (static_cast<unsigned long long>(st.st_size) > options.max_bytes) {
    refused.message = path + " is " + std::to_string(st.st_size) + " bytes, more than the " +
                      std::to_string(options.max_bytes) + " a record may have; not sent";
    return refused;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  if (in) content << in.rdbuf();
  if (!in || in.bad()) {
    refused.message = "cannot read " + path + ": " + std::strerror(errno);
    return refused;
  }
  const std::string body = content.str();
  if (body.empty()) {
    refused.message = path + " is empty; not sent";
    return refused;
  }
  if (body.size() > options.max_bytes) {  // grew since stat
    refused.message = path + " is more than " + std::to_string(options.max_bytes) + " bytes; not sent";
    return refused;
  }
  return submit_record(path, body, options);
}

SubmitSummary submit_files(const std::vector<std::string>& files, const SubmitOptions& options, std::FILE* out,
                           std::FILE* err) {
  SubmitSummary summary;
  SubmitOptions opts = options;
  if (!opts.on_retry && err) opts.on_retry = [err](const std::string& line) {
    std::fprintf(err, "warning: %s\n", line.c_str());
    std::fflush(err);
  };
  const std::string endpoint = results_endpoint(options.url);
  for (const auto& file : files) {
    SubmitResult r = submit_file(file, opts);
    switch (r.outcome) {
      case SubmitOutcome::kStored:
        ++summary.stored;
        if (out) std::fprintf(out, "stored   %s -> %s\n", file.c_str(), r.stored.c_str());
        break;
      case SubmitOutcome::kAlreadyThere:
        ++summary.already_there;
        if (out) std::fprintf(out, "already  %s -> %s (the identical record is on the server)\n", file.c_str(), r.stored.c_str());
        break;
      case SubmitOutcome::kFailed:
        ++summary.failed;
        if (err) {
          std::fprintf(err, "FAILED   %s: %s\n", file.c_str(), r.message.c_str());
          for (const auto& e : r.errors) std::fprintf(err, "           - %s\n", e.c_str());
        }
        break;
    }
    if (out) std::fflush(out);
    if (err) std::fflush(err);
    summary.results.push_back(std::move(r));
  }
  if (out) {
    std::fprintf(out, "submit: %zu file%s to %s: %d stored, %d already there, %d failed\n", files.size(),
                 files.size() == 1 ? "" : "s", endpoint.c_str(), summary.stored, summary.already_there,
                 summary.failed);
    std::fflush(out);
  }
  return summary;
}

}  // namespace greenbench
