// Outputs never destroy inputs, and readers cannot be fooled by a missing
// key: the site folder guard (the results folder, a folder above or inside
// it, a stranger's folder and a folder holding a record are refused; an
// earlier site, marked or from before the marker, is replaced); a site build
// over a missing results folder; records missing a field the readers need,
// skipped with their path and the reason by the readers and by merge; the
// leftovers of killed writers (temp files, site staging folders) removed by
// the next writer on the same machine. No training: records are copied from
// results/reference/quick.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "greenbench/error.h"
#include "record/record_reader.h"
#include "report/leaderboard_data.h"
#include "report/site_builder.h"
#include "run/merge_records.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

using namespace greenbench;
using namespace greenbench::testing;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kReference = std::string(GREENBENCH_SOURCE_DIR) + "/results/reference/quick";
const char* const kRecords[] = {"sst2/sst2-bow-d4c52a8472df570d-eval-e2fb738b-s13.json",
                                "ag_news/ag_news-bow-2c863d56e1036eec-eval-84975e94-s13.json"};

// A results folder with two real records; returns relative path -> bytes.
std::map<std::string, std::string> write_results(const std::string& dir) {
  std::map<std::string, std::string> written;
  for (const char* rel : kRecords) {
    const std::string text = read_file(kReference + "/" + rel);
    write_file(dir + "/" + rel, text);
    written[rel] = text;
  }
  return written;
}

// Every record still there, byte for byte.
void check_intact(const std::string& dir, const std::map<std::string, std::string>& records) {
  for (const auto& [rel, text] : records) {
    INFO(dir + "/" + rel);
    REQUIRE(fs::exists(dir + "/" + rel));
    CHECK(read_file(dir + "/" + rel) == text);
  }
}

std::string fake_front_end(const TempDir& dir) {
  write_file(dir / "dist/index.html", "<!doctype html><title>t</title>");
  return dir / "dist";
}

// A process id that was in use and now is not: a child that has exited.
long dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

// This machine's scratch name of `path` for another (dead) process.
std::string scratch_of_pid(const std::string& path, const std::string& kind, long pid) {
  std::string name = writer_scratch_name(path, kind);
  return name.substr(0, name.rfind('.') + 1) + std::to_string(pid);
}

}  // namespace

TEST_CASE("the reference records used here exist", "[report][outputs]") {
  for (const char* rel : kRecords) REQUIRE(fs::exists(kReference + "/" + rel));
}

TEST_CASE("site build refuses the results folder, a folder above or inside it, and a stranger's folder",
          "[report][outputs][site]") {
  TempDir dir("outputs");
  const std::string dist = fake_front_end(dir);
  const std::string results = dir / "work/results";
  const auto records = write_results(results);

  CHECK_THROWS_WITH(build_site(results, results, dist), Contains("refusing to replace") && Contains("results folder"));
  CHECK_THROWS_WITH(build_site(results, results + "/", dist), Contains("refusing to replace"));
  CHECK_THROWS_WITH(build_site(results, dir / "work", dist), Contains("holds the results folder"));
  CHECK_THROWS_WITH(build_site(results, dir.path(), dist), Contains("holds the results folder"));
  CHECK_THROWS_WITH(build_site(results, results + "/site", dist), Contains("inside the results folder"));
  CHECK_THROWS_WITH(build_site(results, dir / "work/results/../results", dist), Contains("results folder"));
  // Through a symbolic link.
  fs::create_directory_symlink(results, dir / "link");
  CHECK_THROWS_WITH(build_site(results, dir / "link", dist), Contains("results folder"));
  check_intact(results, records);

  // Another folder of records (not the one read), and a stranger's folder.
  const auto other = write_results(dir / "other");
  CHECK_THROWS_WITH(build_site(results, dir / "other", dist), Contains("is not empty"));
  check_intact(dir / "other", other);
  write_file(dir / "notes/todo.txt", "keep me");
  CHECK_THROWS_WITH(build_site(results, dir / "notes", dist), Contains("is not empty"));
  CHECK(read_file(dir / "notes/todo.txt") == "keep me");
  write_file(dir / "a-file", "x");
  CHECK_THROWS_WITH(build_site(results, dir / "a-file", dist), Contains("not a folder"));
}

TEST_CASE("site build replaces the folder it checked: a link before '..' cannot point it at the records",
          "[report][outputs][site]") {
  TempDir dir("outputs-link");
  const std::string dist = fake_front_end(dir);
  const std::string results = dir / "results";
  const auto records = write_results(results);
  fs::create_directories(dir / "deep/a/site");
  fs::create_directory_symlink(dir / "deep/a/site", dir / "sitelink");
  // As text this is <dir>/results; on disk it is <dir>/deep/a/results, which
  // does not exist, so the guard finds nothing to lose there.
  const std::string out = dir / "sitelink/../results";
  build_site(results, out, dist);
  check_intact(results, records);
  CHECK(fs::exists(dir / "deep/a/results/index.html"));
}

TEST_CASE("site build replaces its own earlier site, one from before the marker, and an empty folder",
          "[report][outputs][site]") {
  TempDir dir("outputs");
  const std::string dist = fake_front_end(dir);
  const std::string results = dir / "results";
  write_results(results);

  CHECK(build_site(results, dir / "site", dist).records == 2);
  CHECK(fs::exists(dir / ("site/" + std::string(kSiteMarker))));
  write_file(dir / "site/stale.txt", "from the first build");
  CHECK(build_site(results, dir / "site", dist).records == 2);
  CHECK_FALSE(fs::exists(dir / "site/stale.txt"));

  // A site written before the marker existed: index.html and data/leaderboard.js.
  write_file(dir / "old-site/index.html", "<html></html>");
  write_file(dir / "old-site/data/leaderboard.js", "window.GREENBENCH = {};\n");
  write_file(dir / "old-site/runs/x.js", "window.GREENBENCH_RUN = {};\n");
  CHECK(build_site(results, dir / "old-site", dist).records == 2);
  CHECK(fs::exists(dir / ("old-site/" + std::string(kSiteMarker))));

  fs::create_directories(dir / "empty");
  CHECK(build_site(results, dir / "empty", dist).records == 2);

  // An earlier site someone put a record into: refused, the record kept.
  const std::string text = read_file(kReference + "/" + kRecords[0]);
  write_file(dir / "site/mine.json", text);
  CHECK_THROWS_WITH(build_site(results, dir / "site", dist), Contains("mine.json"));
  CHECK(read_file(dir / "site/mine.json") == text);
}

TEST_CASE("site build over a missing results folder is an error naming it", "[report][outputs][site]") {
  TempDir dir("outputs");
  const std::string dist = fake_front_end(dir);
  CHECK_THROWS_WITH(build_site(dir / "no-such-results", dir / "site", dist),
                    Contains(dir / "no-such-results") && Contains("does not exist"));
  CHECK_FALSE(fs::exists(dir / "site"));
  write_file(dir / "a-file", "x");
  CHECK_THROWS_WITH(build_site(dir / "a-file", dir / "site", dist), Contains("is not a folder"));
}

TEST_CASE("records missing a field the readers need are skipped with their path and the reason",
          "[report][outputs][reader]") {
  TempDir dir("outputs");
  const std::string results = dir / "results";
  write_results(results);
  // Early exit: several operating points.
  const json good = json::parse(read_file(kReference + "/sst2/sst2-early_exit-805485cfabeec62d-eval-a5970dc4-s13.json"));
  REQUIRE(good["operating_points"].size() > 1);
  auto broken = [&](const std::string& name, auto edit) {
    json r = good;
    r["run_id"] = "sst2-" + name;
    edit(r);
    write_file(results + "/sst2/sst2-" + name + ".json", r.dump());
  };
  broken("no-method", [](json& r) { r.erase("method"); });
  broken("no-task", [](json& r) { r.erase("task"); });
  broken("no-metrics", [](json& r) { r.erase("metrics"); });
  broken("no-accuracy", [](json& r) { r["operating_points"][1].erase("accuracy"); });
  broken("string-flops", [](json& r) { r["operating_points"][0]["flops_per_instance"] = "many"; });
  broken("no-points", [](json& r) { r["operating_points"] = json::array(); });
  broken("suite-number", [](json& r) { r["suite"] = 7; });
  write_file(results + "/sst2/truncated.json", read_file(kReference + "/" + kRecords[0]).substr(0, 500));

  std::vector<std::string> skipped;
  const auto records = read_records(results, &skipped);
  CHECK(records.size() == 2);
  REQUIRE(skipped.size() == 8);
  auto reason_of = [&](const std::string& file) {
    for (const auto& s : skipped)
      if (s.rfind(results + "/sst2/" + file + ": ", 0) == 0) return s;
    return std::string("(not skipped)");
  };
  CHECK_THAT(reason_of("sst2-no-method.json"), Contains("method: missing (expected an object)"));
  CHECK_THAT(reason_of("sst2-no-task.json"), Contains("task: missing"));
  CHECK_THAT(reason_of("sst2-no-metrics.json"), Contains("metrics: missing"));
  CHECK_THAT(reason_of("sst2-no-accuracy.json"), Contains("operating_points[1].accuracy: missing (expected a number)"));
  CHECK_THAT(reason_of("sst2-string-flops.json"), Contains("operating_points[0].flops_per_instance: expected a number"));
  CHECK_THAT(reason_of("sst2-no-points.json"), Contains("operating_points: expected a non-empty array"));
  CHECK_THAT(reason_of("sst2-suite-number.json"), Contains("suite: expected null, a string or an object"));
  CHECK_THAT(reason_of("truncated.json"), Contains("not JSON"));

  // The rest is shown: the leaderboard data and the site.
  const json data = leaderboard_data(records);
  CHECK(data["tasks"].size() == 2);
  const std::string dist = fake_front_end(dir);
  const SiteBuild site = build_site(results, dir / "site", dist);
  CHECK(site.records == 2);
  CHECK(site.skipped.size() == 8);

  // merge: the two copied, every broken one refused with its path and reason.
  const MergeReport merged = merge_records({results}, dir / "merged");
  CHECK(merged.copied == 2);
  REQUIRE(merged.refused.size() == 8);
  CHECK_THAT(merged.refused[0], Contains(results + "/sst2/"));
  bool named_metrics = false;
  for (const auto& r : merged.refused) named_metrics = named_metrics || r.find("metrics: missing") != std::string::npos;
  CHECK(named_metrics);
  CHECK_FALSE(fs::exists(dir / "merged/sst2/sst2-no-metrics.json"));
}

TEST_CASE("the record reader takes every reference record and refuses what is not a record", "[report][outputs][reader]") {
  int read = 0;
  for (const auto& e : fs::recursive_directory_iterator(kReference)) {
    if (e.path().extension() != ".json") continue;
    const RecordFile f = read_record_file(e.path().string());
    INFO(e.path().string() << ": " << f.problem);
    CHECK(f.ok());
    ++read;
  }
  CHECK(read > 10);
  CHECK_THAT(record_reader_problem(json::array()), Contains("not an object"));
  CHECK_THAT(record_reader_problem(json::object()), Contains("run_id: missing"));
  // Threads and seed are read as integers: a huge float there would overflow the cast (UB).
  json huge = json::parse(read_file(kReference + "/" + kRecords[0]));
  REQUIRE(record_reader_problem(huge).empty());
  huge["reproducibility"]["threads"] = 1e300;
  CHECK_THAT(record_reader_problem(huge), Contains("reproducibility.threads"));
  TempDir dir("outputs");
  write_file(dir / "deep.json", std::string(100000, '[') + std::string(100000, ']'));
  CHECK_THAT(read_record_file(dir / "deep.json").problem, Contains("nested deeper"));
  CHECK_THAT(read_record_file(dir / "absent.json").problem, Contains("cannot read"));
}

TEST_CASE("the temp files of dead writers on this machine are removed by the next write there",
          "[report][outputs][leftovers]") {
  TempDir dir("outputs");
  const long dead = dead_pid();
  const std::string here = dir / "results/sst2";
  const std::string ours_dead = scratch_of_pid(here + "/a.json", "tmp", dead);
  const std::string legacy_dead = here + "/b.json.tmp." + std::to_string(dead);
  const std::string other_host = here + "/c.json.tmp.another-machine." + std::to_string(dead);
  const std::string ours_alive = scratch_of_pid(here + "/d.json", "tmp", static_cast<long>(::getppid()));
  for (const auto& f : {ours_dead, legacy_dead, other_host, ours_alive}) write_file(f, "{\"run_id\": \"half");
  // Never taken for records, before or after.
  CHECK(read_records(dir / "results").empty());

  write_file_atomic(here + "/new.json", "{}");
  CHECK_FALSE(fs::exists(ours_dead));
  CHECK(fs::exists(legacy_dead));  // names no machine: may be a live writer's on another one
  CHECK(fs::exists(other_host));  // another machine's writer may still run (a shared results folder)
  CHECK(fs::exists(ours_alive));  // its writer runs
  CHECK(read_file(here + "/new.json") == "{}");
  CHECK_FALSE(is_dead_writers_scratch("a.json", "tmp"));
  CHECK_FALSE(is_dead_writers_scratch("a.json.tmp.", "tmp"));
  CHECK_FALSE(is_dead_writers_scratch(fs::path(legacy_dead).filename().string(), "tmp"));
}

TEST_CASE("the staging folders of killed site builds are removed by the next build, never one holding a record",
          "[report][outputs][leftovers]") {
  TempDir dir("outputs");
  const std::string dist = fake_front_end(dir);
  const std::string results = dir / "results";
  write_results(results);
  const long dead = dead_pid();
  const std::string site = dir / "site";
  const std::string staging = scratch_of_pid(site, "building", dead);
  const std::string set_aside = site + ".old." + std::to_string(dead);  // the older name
  const std::string with_record = scratch_of_pid(site, "old", dead);
  write_file(staging + "/" + kSiteMarker, "");
  write_file(staging + "/index.html", "half");
  write_file(set_aside + "/index.html", "old");
  write_file(set_aside + "/data/leaderboard.js", "window.GREENBENCH = {};");
  write_file(with_record + "/" + kSiteMarker, "");
  write_file(with_record + "/r.json", "{}");

  CHECK(build_site(results, site, dist).records == 2);
  CHECK_FALSE(fs::exists(staging));
  CHECK(fs::exists(set_aside));  // the older name says no machine: may be a live build's on another one
  CHECK(read_file(with_record + "/r.json") == "{}");
  // Nothing of this build is left beside the site.
  int beside = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) beside += e.path().filename().string().rfind("site.", 0) == 0;
  CHECK(beside == 2);  // with_record and the host-less set_aside
}
