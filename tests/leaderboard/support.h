// Shared pieces of the leaderboard tests: a test verdict (run_id and
// task.name strings, key = run_id), records, token files, a server fixture on
// loopback, and small libcurl requests for what the submit client never sends.
#pragma once

#include <curl/curl.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "leaderboard/ingest_server.h"
#include "support/temp_dir.h"

namespace greenbench::testing {

inline IngestVerdict test_verdict(const std::string& body) {
  IngestVerdict v;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body);
  } catch (const std::exception& e) {
    v.errors.push_back(std::string("not JSON: ") + e.what());
    return v;
  }
  if (!j.is_object()) v.errors.push_back("not a JSON object");
  if (v.errors.empty() && !(j.contains("run_id") && j["run_id"].is_string())) v.errors.push_back("run_id: expected a string");
  if (v.errors.empty() && !(j.contains("task") && j["task"].is_object() && j["task"].contains("name") &&
                            j["task"]["name"].is_string()))
    v.errors.push_back("task.name: expected a string");
  if (!v.errors.empty()) return v;
  v.ok = true;
  v.run_id = j["run_id"].get<std::string>();
  v.task = j["task"]["name"].get<std::string>();
  v.duplicate_key = v.run_id;
  return v;
}

inline std::string make_record(const std::string& run_id, const std::string& task = "sst2", double accuracy = 0.9) {
  nlohmann::json j = {{"run_id", run_id}, {"task", {{"name", task}}}, {"metrics", {{"accuracy", accuracy}}}};
  return j.dump();
}

inline void write_token(const std::string& path, const std::string& content, mode_t mode = 0600) {
  write_file(path, content);
  ::chmod(path.c_str(), mode);
}

/// Every *.json under `dir` (relative paths), temp files included so a
/// leftover would show.
inline std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(std::filesystem::relative(e.path(), dir).generic_string());
  return out;
}

struct HttpAnswer {
  long status = 0;
  std::string body;
  CURLcode rc = CURLE_OK;
};

inline size_t append_to_string(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

/// A request with exactly these headers (a "Name:" header removes curl's).
/// post_body null: GET. chunked: no Content-Length.
inline HttpAnswer http_request(const std::string& url, const std::vector<std::string>& headers,
                               const std::string* post_body = nullptr, bool chunked = false) {
  HttpAnswer a;
  CURL* c = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  if (chunked) list = curl_slist_append(list, "Transfer-Encoding: chunked");
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &a.body);
  if (post_body) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body->data());
    if (!chunked) curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_body->size()));
  }
  a.rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(c);
  return a;
}

inline HttpAnswer http_get(const std::string& url) { return http_request(url, {}); }

/// A results folder, a site folder with index.html and a token file, and
/// the options of a server on 127.0.0.1, any port, with the test verdict.
struct ServerFixture {
  TempDir dir{"leaderboard"};
  std::string results = dir / "results";
  std::string site = dir / "site";
  std::string token = "s3cret-token-0123456789";
  std::string token_file = dir / "token";

  ServerFixture() {
    write_file(site + "/index.html", "<html>leaderboard</html>\n");
    write_file(site + "/data/leaderboard.json", "[]\n");
    write_token(token_file, token + "\n");
  }
  IngestServerOptions options() const {
    IngestServerOptions o;
    o.results_dir = results;
    o.site_dir = site;
    o.token = token;
    o.verdict = test_verdict;
    o.rebuild_settle = std::chrono::milliseconds(10);
    return o;
  }
};

}  // namespace greenbench::testing
