// Reporting: expected validation performance against hand-computed values
// (ties included, both estimators), the Pareto frontier, records checked by
// `greenbench validate`'s rules (real records pass; tampered, hostile, huge
// and deeply nested ones are refused without a crash), the leaderboard data
// agreeing with the records on every number it shows, and SVG text escaped.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "core_fixtures.h"
#include "greenbench/registry.h"
#include "record/record_validation.h"
#include "report/expected_validation.h"
#include "report/leaderboard_data.h"
#include "report/pareto.h"
#include "report/site_builder.h"
#include "report/svg_plot.h"
#include "run/runner.h"
#include "util/atomic_file.h"

using namespace greenbench;
using namespace greenbench::core_test;
using Catch::Detail::Approx;
using Catch::Matchers::Contains;
using nlohmann::json;

TEST_CASE("expected max of n trials, with replacement, equals the hand-computed values", "[report][evp]") {
  // v = 0.5, 0.7, 0.9: n=1 the mean; n=2 weights 1/9, 3/9, 5/9; n=3 weights 1/27, 7/27, 19/27.
  const auto c = expected_max_with_replacement({0.9, 0.5, 0.7});
  REQUIRE(c.n == std::vector<int>{1, 2, 3});
  CHECK(c.expected[0] == Approx(0.7));
  CHECK(c.expected[1] == Approx(7.1 / 9));
  CHECK(c.expected[2] == Approx(22.5 / 27));
  // The band: one standard deviation of the max, clipped to the trials' range.
  const double sd1 = std::sqrt((0.25 + 0.49 + 0.81) / 3 - 0.49);
  CHECK(c.lower[0] == Approx(0.7 - sd1));
  CHECK(c.upper[0] == Approx(0.7 + sd1));
  CHECK(c.upper[2] <= 0.9);
}

TEST_CASE("tied trial values share their positions' probability", "[report][evp]") {
  // 0.6, 0.6, 0.8: P(max of 2 = 0.8) = 1 - (2/3)^2 = 5/9.
  const auto c = expected_max_with_replacement({0.6, 0.8, 0.6});
  CHECK(c.expected[1] == Approx(0.6 * 4 / 9 + 0.8 * 5 / 9));
  const auto all_same = expected_max_with_replacement({0.7, 0.7, 0.7, 0.7});
  for (double e : all_same.expected) CHECK(e == Approx(0.7));
  for (size_t i = 0; i < all_same.n.size(); ++i) CHECK(all_same.lower[i] == Approx(0.7));
}

TEST_CASE("the unbiased estimator draws without replacement", "[report][evp]") {
  // n=2 of {0.5, 0.7, 0.9}: pairs (0.5,0.7) (0.5,0.9) (0.7,0.9) -> maxima 0.7, 0.9, 0.9.
  const auto c = expected_max_without_replacement({0.5, 0.7, 0.9});
  CHECK(c.expected[0] == Approx(0.7));
  CHECK(c.expected[1] == Approx((0.7 + 0.9 + 0.9) / 3));
  CHECK(c.expected[2] == Approx(0.9));
  const auto tied = expected_max_without_replacement({0.6, 0.6, 0.8});
  CHECK(tied.expected[1] == Approx((0.6 + 0.8 + 0.8) / 3));
  CHECK_THROWS(expected_max_with_replacement({}));
}

TEST_CASE("the Pareto frontier keeps undominated points, ties included, and skips unmeasured costs", "[report][pareto]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto front = pareto_front({1, 2, 3, 2, nan, 0.5}, {0.5, 0.7, 0.6, 0.7, 0.99, 0.4});
  CHECK(front == std::vector<bool>{true, true, false, true, false, true});
}

TEST_CASE("SVG plots escape every label", "[report][svg]") {
  Plot plot;
  plot.title = "<script>alert(1)</script>";
  plot.series.push_back({"a&b <img src=x>", {1, 10}, {0.5, 0.6}, {}, {}});
  plot.log_x = true;
  const std::string svg = render_svg(plot);
  CHECK_THAT(svg, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_THAT(svg, Contains("a&amp;b &lt;img src=x&gt;"));
  CHECK(svg.find("<script>") == std::string::npos);
  CHECK(svg.find("<img") == std::string::npos);
}

namespace {
// One real record of a tiny early-exit run and one of bow, written by the harness.
struct Records {
  SmallRun run;
  json early_exit, bow;
  Records() {
    // Referencing the registry links the generated list of built-in methods.
    REQUIRE(method_registry().get("early_exit").name == "early_exit");
    PreparedTask prepared = prepare_task("sst2", run.settings);
    early_exit = run_method(prepared, "early_exit", json::object(), run.settings);
    bow = run_method(prepared, "bow", {{"buckets", 4096}, {"epochs", 1}}, run.settings);
  }
  static Records& get() {
    static Records r;
    return r;
  }
};

ValidationOptions lenient() {
  ValidationOptions o;
  o.allow_unknown_data = true;  // the fixture data is no published version of SST-2
  return o;
}

// Records as the readers take them, typed.
std::vector<RunRecord> typed(const std::vector<json>& records) {
  std::vector<RunRecord> out;
  for (const auto& r : records) out.push_back(RunRecord::from_json(r));
  return out;
}

std::string text_of(json record) {
  record.erase("path");
  return record.dump();
}
}  // namespace

TEST_CASE("records the harness writes pass validation, the fixture data flagged as unknown", "[report][validate]") {
  auto& r = Records::get();
  for (const json* record : {&r.early_exit, &r.bow}) {
    const auto v = validate_record_text(text_of(*record), lenient());
    INFO(json(v.errors).dump(1));
    CHECK(v.ok());
    REQUIRE(v.warnings.size() == 2);
    CHECK_THAT(v.warnings[0], Contains("no known version"));
    CHECK(!v.duplicate_key.empty());
    const auto strict = validate_record_text(text_of(*record), ValidationOptions{});
    CHECK_FALSE(strict.ok());
  }
}

TEST_CASE("validation recomputes FLOPs from the compute paths and catches tampering", "[report][validate]") {
  json tampered = Records::get().early_exit;
  tampered["operating_points"][0]["flops_per_instance"] = tampered["operating_points"][0]["flops_per_instance"].get<double>() * 0.9;
  auto v = validate_record_text(text_of(tampered), lenient());
  REQUIRE_FALSE(v.ok());
  CHECK_THAT(v.errors[0], Contains("compute paths and model give"));

  json fewer = Records::get().bow;
  fewer["operating_points"][0]["exit_histogram"]["by_path"][0]["instances"] = 1;
  v = validate_record_text(text_of(fewer), lenient());
  REQUIRE_FALSE(v.ok());
  CHECK_THAT(v.errors[0], Contains("instances"));

  json headline = Records::get().early_exit;
  headline["metrics"]["accuracy"] = 1.0;
  v = validate_record_text(text_of(headline), lenient());
  REQUIRE_FALSE(v.ok());
  CHECK_THAT(v.errors[0], Contains("metrics differ"));
}

TEST_CASE("a record whose settings trained nothing is refused: 0 epochs, a NaN or negative rate, batch 0", "[report][validate]") {
  const json good = Records::get().early_exit;
  REQUIRE(good["reproducibility"]["settings"]["train"].contains("epochs"));
  const std::vector<std::pair<std::string, json>> bad = {
      {"/reproducibility/settings/train/epochs", 0},
      {"/reproducibility/settings/train/epochs", -1},
      {"/reproducibility/settings/train/learning_rate", -0.001},
      {"/reproducibility/settings/train/learning_rate", nullptr},  // how a NaN rate is written as JSON
      {"/reproducibility/settings/train/batch_size", 0},
      {"/reproducibility/settings/eval_batch_size", 0},
  };
  for (const auto& [pointer, value] : bad) {
    json record = good;
    record[json::json_pointer(pointer)] = value;
    const auto v = validate_record_text(text_of(record), lenient());
    INFO(pointer << " = " << value.dump());
    REQUIRE_FALSE(v.ok());
    CHECK_THAT(json(v.errors).dump(), Contains("reproducibility.settings"));
  }
}

TEST_CASE("hostile records are refused with a reason and never crash the validator", "[report][validate]") {
  const json good = Records::get().bow;
  auto errors_of = [](const std::string& text, ValidationOptions o = lenient()) { return validate_record_text(text, o).errors; };

  json scripted = good;
  scripted["method"]["name"] = "<script>alert(1)</script>";
  auto e = errors_of(text_of(scripted));
  REQUIRE(!e.empty());
  CHECK_THAT(e[0], Contains("method.name"));

  json wrong_type = good;
  wrong_type["operating_points"][0]["accuracy"] = "high";
  CHECK(!errors_of(text_of(wrong_type)).empty());

  json out_of_range = good;
  out_of_range["metrics"]["accuracy"] = 1.5;
  CHECK(!errors_of(text_of(out_of_range)).empty());

  CHECK_THAT(errors_of(std::string(200000, '[') + std::string(200000, ']'))[0], Contains("nested deeper than 64"));
  ValidationOptions small = lenient();
  small.max_bytes = 1000;
  CHECK_THAT(errors_of(text_of(good), small)[0], Contains("over the limit"));
  CHECK_THAT(errors_of("{\"run_id\": ")[0], Contains("not JSON"));
  CHECK_THAT(errors_of("\"\\ud800\"")[0], Contains("not JSON"));
  CHECK(!errors_of("[]").empty());
  CHECK(!errors_of("null").empty());
  // Brackets inside strings do not count as nesting.
  CHECK(json_limits_problem("{\"a\": \"" + std::string(1000, '[') + "\"}", 1 << 20, 8).empty());
}

TEST_CASE("the leaderboard data shows the records' own numbers, with Pareto flags", "[report][site]") {
  auto& r = Records::get();
  const json data = leaderboard_data(typed({r.early_exit, r.bow}));
  REQUIRE(data["tasks"].size() == 1);
  const json& task = data["tasks"][0];
  CHECK(task["name"] == "sst2");
  size_t expected_rows = r.early_exit["operating_points"].size() + r.bow["operating_points"].size();
  REQUIRE(task["rows"].size() == expected_rows);
  size_t i = 0;
  for (const json* record : {&r.early_exit, &r.bow}) {
    for (const auto& p : (*record)["operating_points"]) {
      const json& row = task["rows"][i++];
      CHECK(row["run_id"] == (*record)["run_id"]);
      CHECK(row["point"] == p["name"]);
      CHECK(row["accuracy"] == p["accuracy"]);
      CHECK(row["macro_f1"] == p["macro_f1"]);
      CHECK(row["flops"] == p["flops_per_instance"]);
      CHECK(row["latency_ms"].get<double>() == Approx(1000 * p["latency_batch1"]["p50_seconds"].get<double>()));
      CHECK(row["headline"] == (p["name"] == (*record)["metrics"]["operating_point"]));
    }
  }
  // bow is by far the cheapest: on the FLOPs frontier.
  CHECK(task["rows"][expected_rows - 1]["pareto"]["flops"] == true);
  CHECK(task["evp"].empty());  // no sweep trials among these
}

TEST_CASE("EVP on a kWh axis says when the training energy is an estimate", "[report][evp]") {
  const json base = Records::get().bow;
  auto trials = [&](bool measured) {
    std::vector<json> records;
    for (int t = 0; t < 3; ++t) {
      json r = base;
      r["run_id"] = base["run_id"].get<std::string>() + "-trial" + std::to_string(t);
      r["suite"] = {{"name", "quick"}, {"version", "1"}, {"trial", {{"index", t}, {"draws", json::object()}}}};
      r["metrics"]["accuracy"] = 0.5 + 0.1 * t;
      json& energy = r["efficiency"]["energy"]["training"];
      energy = {{"measured", measured}, {"estimate", {{"joules", 3.6e6 * (t + 1)}, {"label", "estimate, not a measurement"}}}};
      if (measured) energy["joules"] = 3.6e6 * (t + 1);
      records.push_back(r);
    }
    return records;
  };
  LeaderboardOptions kwh;
  kwh.evp_budget = "kwh";
  for (bool measured : {false, true}) {
    const json evp = leaderboard_data(typed(trials(measured)), kwh)["tasks"][0]["evp"];
    REQUIRE(evp.size() == 1);
    CHECK(evp[0]["budget_unit"] == (measured ? "kwh" : "kwh (estimate)"));
    // Mean cost per trial 2 kWh: n trials cost 2n.
    CHECK(evp[0]["budget"] == json({2.0, 4.0, 6.0}));
  }
}

TEST_CASE("the site is built whole: front end, data script, one script per run with its reproduce command",
          "[report][site]") {
  auto& r = Records::get();
  TempDir dir("site");
  write_text(dir / "dist/index.html", "<!doctype html><title>t</title>");
  const SiteBuild built = build_site(r.run.settings.results_dir, dir / "site", dir / "dist");
  CHECK(built.records == 2);
  const std::string data = greenbench::read_file(dir / "site/data/leaderboard.js");
  CHECK(data.rfind("window.GREENBENCH = {", 0) == 0);
  const json parsed = json::parse(data.substr(data.find('{'), data.rfind(';') - data.find('{')));
  CHECK(parsed == [&] {
    json expected = leaderboard_data(read_records(r.run.settings.results_dir));
    expected["generated"] = parsed["generated"];
    return expected;
  }());
  const std::string run = greenbench::read_file(dir / ("site/runs/" + r.bow["run_id"].get<std::string>() + ".js"));
  CHECK_THAT(run, Contains("greenbench run 'sst2' 'bow' --config"));
  CHECK(std::filesystem::exists(dir / "site/index.html"));
  CHECK_THROWS_WITH(build_site(r.run.settings.results_dir, dir / "site2", dir / "nowhere"), Contains("greenbench_web"));
}
