// The typed run record (record/run_record.h): from_json then to_json gives
// back the very JSON of every reference record; what the struct does not
// model (other versions' fields, a hand's additions, fields of another type)
// survives; readings are found under their meters' names; a record the
// readers cannot use is refused with the reason.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "greenbench/error.h"
#include "record/config_hash.h"
#include "record/record_path.h"
#include "record/run_record.h"
#include "util/atomic_file.h"

using namespace greenbench;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kReference = std::string(GREENBENCH_SOURCE_DIR) + "/results/reference/quick";

json reference_record(const std::string& name) {
  for (const auto& e : fs::recursive_directory_iterator(kReference)) {
    if (e.path().filename().string().find(name) != std::string::npos) return json::parse(read_file(e.path().string()));
  }
  FAIL("no reference record matches " << name);
  return nullptr;
}

json round_trip(const json& j) { return RunRecord::from_json(j).to_json(); }

}  // namespace

TEST_CASE("every reference record reads into the struct and writes back the same JSON", "[record]") {
  int records = 0;
  for (const auto& e : fs::recursive_directory_iterator(kReference)) {
    if (e.path().extension() != ".json") continue;
    INFO(e.path().string());
    const json original = json::parse(read_file(e.path().string()));
    const RunRecord record = RunRecord::from_json(original);
    const json written = record.to_json();
    CHECK(written == original);
    // Byte for byte too: every number keeps its type (integer or not).
    CHECK(written.dump(2) == original.dump(2));
    // Read through the struct, not left in `extra`.
    CHECK(record.run_id == original["run_id"]);
    CHECK(record.task.name == original["task"]["name"]);
    CHECK(record.method.name == original["method"]["name"]);
    REQUIRE(record.operating_points.size() == original["operating_points"].size());
    CHECK(record.operating_points.back().flops_per_instance == original["operating_points"].back()["flops_per_instance"]);
    CHECK(record.metrics.operating_point == original["metrics"]["operating_point"]);
    CHECK(record.extra.empty());
    ++records;
  }
  CHECK(records >= 50);
}

TEST_CASE("fields the struct does not model, or holds with another type, survive a round trip", "[record]") {
  json r = reference_record("sst2-early_exit");
  r["future_block"] = {{"x", 1}};
  r["method"]["note"] = "hand-edited";
  r["task"]["roles"]["test"]["examples"] = 1000.5;  // not an integer: kept as written
  r["task"]["roles"]["extra_role"] = {{"split", "dev"}};
  r["operating_points"][0]["macro_f1"] = nullptr;
  r["operating_points"][0]["custom"] = json::array({1, 2});
  r["efficiency"]["energy"]["idle"] = {{"joules", 3}};
  r["reproducibility"]["seed"] = -1;  // not a seed the struct holds: left in extra
  r["training"]["method_report"] = {{"epochs_run", 2}};
  r["suite"]["trial"] = {{"index", 2}, {"draws", {{"lr", 0.001}}}};
  const RunRecord record = RunRecord::from_json(r);
  CHECK(record.to_json() == r);
  CHECK(record.extra.contains("future_block"));
  CHECK(record.method.extra.at("note") == "hand-edited");
  CHECK_FALSE(record.task.test->examples.has_value());
  CHECK(record.test_examples() == 1000.5);
  CHECK_FALSE(record.operating_points[0].macro_f1.has_value());
  CHECK_FALSE(record.seed().has_value());
  CHECK(record.is_sweep_trial());
  CHECK(record.suite->trial_index == 2);
}

TEST_CASE("each meter's reading is kept under the meter's name", "[record]") {
  json r = reference_record("sst2-early_exit");
  // A meter this build does not know: listed in efficiency.meters, read at every point.
  r["efficiency"]["meters"]["watts"] = {{"available", true}, {"source", "a probe"}};
  for (auto& p : r["operating_points"]) p["watts"] = {{"mean", 12.5}};
  const RunRecord record = RunRecord::from_json(r);
  for (const auto& p : record.operating_points) {
    CHECK(p.readings.count("energy") == 1);
    CHECK(p.readings.count("counters") == 1);
    CHECK(p.reading("watts")["mean"] == 12.5);
    CHECK_FALSE(p.extra.contains("watts"));
    CHECK(p.reading("nothing").is_null());
  }
  CHECK(record.efficiency->meters->count("watts") == 1);
  REQUIRE(record.training->meters.has_value());
  CHECK(record.training->meters->count("time") == 1);
  CHECK(record.to_json() == r);

  // A record that lists no meters still finds a point's energy (kept in extra).
  json unlisted = reference_record("sst2-early_exit");
  unlisted["efficiency"].erase("meters");
  const RunRecord bare = RunRecord::from_json(unlisted);
  CHECK(bare.operating_points[0].reading("energy").is_object());
  CHECK(bare.to_json() == unlisted);
}

TEST_CASE("the suite reads as an object, a bare name (schema 0.1) or null", "[record]") {
  json r = reference_record("sst2-bow");
  CHECK(RunRecord::from_json(r).suite_name() == r["suite"]["name"]);
  r["suite"] = "quick";
  CHECK(RunRecord::from_json(r).suite_name() == "quick");
  CHECK(round_trip(r) == r);
  r["suite"] = nullptr;
  CHECK(RunRecord::from_json(r).suite_name().is_null());
  CHECK(round_trip(r) == r);
  r.erase("suite");
  CHECK(round_trip(r) == r);
}

TEST_CASE("a record the readers cannot use is refused with the reason", "[record]") {
  json r = reference_record("sst2-bow");
  r.erase("method");
  CHECK_THROWS_AS(RunRecord::from_json(r), Error);
  CHECK_THROWS_WITH(RunRecord::from_json(r), Contains("method: missing (expected an object)"));
  CHECK_THROWS_WITH(RunRecord::from_json(json::array()), Contains("not an object"));
  json p = reference_record("sst2-bow");
  p["operating_points"][0]["accuracy"] = "high";
  CHECK_THROWS_WITH(RunRecord::from_json(p), Contains("operating_points[0].accuracy: expected a number"));
}

TEST_CASE("records are named task-method-key-s<seed> under their task's folder", "[record]") {
  CHECK(record_run_id("sst2", "bow", "0123456789abcdef", 13) == "sst2-bow-0123456789abcdef-s13");
  CHECK(record_file_path("out", "sst2", "bow", "0123456789abcdef-eval-01234567", 7) ==
        "out/sst2/sst2-bow-0123456789abcdef-eval-01234567-s7.json");
  // Every reference record is where the rule puts it.
  for (const auto& e : fs::recursive_directory_iterator(kReference)) {
    if (e.path().extension() != ".json") continue;
    const RunRecord r = RunRecord::from_json(json::parse(read_file(e.path().string())));
    CHECK(e.path().filename().string() == r.run_id + ".json");
    CHECK(e.path().parent_path().filename().string() == r.task.name);
  }
}

TEST_CASE("the config hash is the first 16 hex digits of the canonical JSON's sha256", "[record]") {
  CHECK(config_hash(json::object()) == "44136fa355b3678a");
  // Keys are sorted before hashing: the order they were given in does not matter.
  CHECK(config_hash(json::parse(R"({"b": 2, "a": 1})")) == config_hash(json::parse(R"({"a": 1, "b": 2})")));
  CHECK(config_hash({{"a", 1}}) == "015abd7f5cc57a2d");
}
