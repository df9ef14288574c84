#include "report/site_builder.h"

#include <filesystem>
#include <regex>

#include "greenbench/error.h"
#include "report/replaceable_folder.h"
#include "util/atomic_file.h"

#ifndef GREENBENCH_WEB_DIST
#define GREENBENCH_WEB_DIST ""
#endif

namespace greenbench {
namespace {

namespace fs = std::filesystem;

const ReplaceableFolder& site_kind() {
  static const ReplaceableFolder kind{
      "the site folder", kSiteMarker,
      // Sites built before the marker existed: the front end's page and the
      // leaderboard data at the top (and, checked after, no *.json file).
      [](const fs::path& dir) { return fs::is_regular_file(dir / "index.html") && fs::is_regular_file(dir / "data/leaderboard.js"); }};
  return kind;
}

// Staging and set-aside folders of builds that were killed (their process is
// gone), beside `target`: removed when they are sites and hold no record.
void remove_dead_builds_beside(const fs::path& target, const std::string& results_dir) {
  std::error_code ec;
  const std::string prefix = target.filename().string() + ".";
  for (fs::directory_iterator it(target.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_error;
    if (name.rfind(prefix, 0) != 0 || !it->is_directory(type_error)) continue;
    if (!is_dead_writers_scratch(name, "building") && !is_dead_writers_scratch(name, "old")) continue;
    try {
      check_replaceable_folder(it->path().string(), {results_dir}, site_kind());
    } catch (const Error&) {
      continue;  // not plainly a site of ours: left alone
    }
    std::error_code remove_error;
    fs::remove_all(it->path(), remove_error);
  }
}

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

const char* const kSiteMarker = ".greenbench-site";

std::string default_web_dist() { return GREENBENCH_WEB_DIST; }

void check_site_folder(const std::string& out_dir, const std::string& results_dir) {
  check_replaceable_folder(out_dir, {results_dir}, site_kind());
}

std::string as_script(const std::string& name, const nlohmann::json& value) {
  return "window." + name + " = " + value.dump(-1, ' ', true) + ";\n";
}

std::string reproduce_command(const RunRecord& r) {
  using nlohmann::json;
  const json s = r.reproducibility && r.reproducibility->settings && r.reproducibility->settings->is_object()
                     ? *r.reproducibility->settings
                     : json::object();
  const json& train = s.value("train", json::object());
  const json& roles = s.value("roles", json::object());
  std::string cmd = "greenbench run " + shell_quoted(r.task.name) + " " + shell_quoted(r.method.name) + " --config " +
                    shell_quoted(r.method.config.value_or(json::object()).dump());
  auto flag = [&](const char* name, const json& v) {
    if (!v.is_null()) cmd += std::string(" --") + name + " " + shell_quoted(v.is_string() ? v.get<std::string>() : v.dump());
  };
  flag("size", s.value("model_size", json()));
  flag("layers", s.value("num_layers", json()));
  flag("pooling", s.value("pooling", json()));
  flag("max-len", s.value("max_len", json()));
  flag("vocab-size", s.value("vocab_size", json()));
  flag("epochs", train.value("epochs", json()));
  flag("batch-size", train.value("batch_size", json()));
  flag("lr", train.value("learning_rate", json()));
  flag("precision", train.value("precision", json()));
  flag("max-train", roles.value("max_train", json()));
  flag("max-calibration", roles.value("max_calibration", json()));
  flag("max-test", roles.value("max_test", json()));
  flag("eval-batch-size", s.value("eval_batch_size", json()));
  flag("threads", s.value("threads", json()));
  flag("seed", s.value("seed", json()));
  return cmd + " --data DATA";
}

SiteBuild build_site(const std::string& results_dir, const std::string& out_dir, const std::string& web_dist,
                     const LeaderboardOptions& options) {
  if (web_dist.empty() || !fs::exists(fs::path(web_dist) / "index.html")) {
    throw Error("no built front end at '" + web_dist + "' (index.html missing): build target greenbench_web (needs " +
                "node and npm; `bash scripts/install-deps.sh` installs them), or give --web-dist DIR");
  }
  std::error_code ec;
  if (!fs::is_directory(results_dir, ec))
    throw Error("the results folder " + results_dir + (fs::exists(results_dir, ec) ? " is not a folder" : " does not exist") +
                " (--results): no records to build a site of");
  check_site_folder(out_dir, results_dir);
  SiteBuild result;
  const std::vector<RunRecord> records = read_records(results_dir, &result.skipped);
  const nlohmann::json data = [&] {
    nlohmann::json d = leaderboard_data(records, options);
    d["generated"] = [] {
      char text[32];
      const std::time_t now = std::time(nullptr);
      std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
      return std::string(text);
    }();
    return d;
  }();

  // Built beside the target, then swapped in by rename.
  // The very path the guard checked, links resolved (not the text of out_dir).
  const fs::path target = resolved_folder(out_dir);
  fs::create_directories(target.parent_path());
  remove_dead_builds_beside(target, results_dir);
  const fs::path staging = writer_scratch_name(target.string(), "building");
  fs::remove_all(staging);
  fs::create_directories(staging);
  // The marker first: a build killed at any later point leaves a folder
  // that the next build recognises as its own and removes.
  write_file_atomic((staging / kSiteMarker).string(),
                    "A leaderboard site written by `greenbench site build`; a later build replaces this folder.\n");
  fs::copy(web_dist, staging, fs::copy_options::recursive);
  write_file_atomic((staging / "data/leaderboard.js").string(), as_script("GREENBENCH", data));
  static const std::regex plain_id("[A-Za-z0-9_.-]+");
  for (const auto& r : records) {
    const std::string& id = r.run_id;
    if (!std::regex_match(id, plain_id) || id[0] == '.') {
      result.skipped.push_back(r.path + ": run id is not a plain file name");
      continue;
    }
    nlohmann::json shown = r.to_json();
    shown["reproduce"] = reproduce_command(r);
    write_file_atomic((staging / "runs" / (id + ".js")).string(), as_script("GREENBENCH_RUN", shown));
    ++result.records;
  }
  for (const auto& t : data["tasks"]) result.rows += t["rows"].size();

  const fs::path old = writer_scratch_name(target.string(), "old");
  if (fs::exists(target)) fs::rename(target, old);
  fs::rename(staging, target);
  fs::remove_all(old);
  return result;
}

}  // namespace greenbench
