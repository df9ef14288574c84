// The runner end to end on a tiny SST-2-format fixture: prepare_task, then
// run_method for standard, truncated (1 layer) and early_exit. Checks the
// record on disk (fields, role provenance, FLOPs consistent with the model and
// the test lengths), that early exit's numbers equal a recomputation from the
// method's own per-instance paths, that no temporary files are left, and that
// the same settings give the same results twice.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>

#include "core_fixtures.h"
#include "data/batching.h"
#include "greenbench/bert/bert.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "measure/flops.h"
#include "record/run_record.h"
#include "run/runner.h"
#include "util/progress.h"
#include "util/sha256.h"

using namespace greenbench;
using namespace greenbench::core_test;
using Catch::Detail::Approx;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {


// Mean over the test set of instance_flops with every instance on the same path.
double mean_flops(const BertConfig& config, const EncodedSet& test, int layers, int exits) {
  double total = 0;
  for (const auto& ids : test.ids) total += instance_flops(config, static_cast<int>(ids.size()), layers, exits);
  return total / static_cast<double>(test.size());
}

bool is_hex(const json& j, size_t length) {
  return j.is_string() && std::regex_match(j.get<std::string>(), std::regex("[0-9a-f]{" + std::to_string(length) + "}"));
}

// Every efficiency figure is filled or explained: energy measured or an
// estimate labelled as one with the reasons; counters counted or PAPI's
// reason; batch-1 latency percentiles in order; provenance present.
void check_efficiency_fields(const json& record, size_t test_size) {
  auto check_energy = [](const json& energy) {
    REQUIRE(energy.at("measured").is_boolean());
    if (energy["measured"].get<bool>()) {
      CHECK(energy.at("joules").get<double>() >= 0);
      CHECK(!energy.at("source").get<std::string>().empty());
    } else {
      CHECK(!energy.at("reason").get<std::string>().empty());
      CHECK(energy.at("estimate").at("label") == "estimate, not a measurement");
      CHECK(energy["estimate"].at("joules").get<double>() >= 0);
      CHECK(!energy["estimate"].at("tdp_source").get<std::string>().empty());
    }
  };
  const json& eff = record.at("efficiency");
  check_energy(eff.at("energy").at("training"));
  check_energy(eff.at("energy").at("calibration"));
  check_energy(eff.at("energy").at("inference"));
  for (const auto& point : record.at("operating_points")) {
    check_energy(point.at("energy"));
    const json& counters = point.at("counters");
    if (counters.at("available").get<bool>()) {
      CHECK(counters.at("events").at("PAPI_TOT_INS").get<double>() > 0);
    } else {
      CHECK(!counters.at("reason").get<std::string>().empty());
    }
    CHECK(point.at("flops_cross_check").at("analytic").get<double>() > 0);
    const json& latency = point.at("latency_batch1");
    CHECK(latency.at("count").get<size_t>() == std::min<size_t>(test_size, 100));
    CHECK(latency.at("p50_seconds").get<double>() > 0);
    CHECK(latency.at("p50_seconds").get<double>() <= latency.at("p90_seconds").get<double>());
    CHECK(latency.at("p90_seconds").get<double>() <= latency.at("p99_seconds").get<double>());
  }
  CHECK(eff.at("throughput").at("instances_per_second").get<double>() > 0);
  for (const char* phase : {"training", "model_selection", "inference"}) CHECK(eff.at("footprint").contains(phase));
  CHECK(eff["footprint"]["training"]["kg_co2e"].get<double>() >= 0);
  CHECK(eff.at("meters").at("time").at("available") == true);
  CHECK(!record.at("hardware").at("cpu").get<std::string>().empty());
  CHECK(!record.at("software").at("os").get<std::string>().empty());
  CHECK(!record.at("software").at("git_commit").get<std::string>().empty());
  CHECK(record.at("warnings").is_array());
  CHECK(record.at("measurement_settings").at("latency_instances") == 100);
  const json& train_time = record.at("training").at("meters").at("time");
  CHECK(train_time.at("wall_seconds").get<double>() > 0);
  CHECK(train_time.at("cpu_seconds").get<double>() > 0);
  CHECK(record.at("training").at("calibration_meters").at("time").at("wall_seconds").get<double>() > 0);
  CHECK(record["training"].at("calibration").is_array());
  // Every meter is recorded under its name: its status in efficiency.meters,
  // its reading in each training phase and (but for the clock, which is the
  // point's own wall and CPU seconds) at every operating point.
  for (const auto& [meter, status] : eff.at("meters").items()) {
    INFO("meter " << meter);
    CHECK(record["training"]["meters"].contains(meter));
    CHECK(record["training"]["calibration_meters"].contains(meter));
    for (const auto& point : record.at("operating_points")) CHECK(point.contains(meter) == (meter != "time"));
  }
  // The record reads into its typed form and writes back unchanged.
  json on_disk = record;
  on_disk.erase("path");
  CHECK(RunRecord::from_json(on_disk).to_json() == on_disk);
}

// The fields every record must have, and its file on disk.
void check_record(const json& record, const std::string& method, const PreparedTask& prepared, const SmallRun& f) {
  INFO("method " << method);
  REQUIRE(record.contains("path"));
  const std::string path = record.at("path");
  REQUIRE(fs::exists(path));
  CHECK(fs::path(path).parent_path() == fs::path(f.settings.results_dir) / "sst2");
  std::ifstream in(path);
  json on_disk = json::parse(in);  // throws if it does not parse
  json expected = record;
  expected.erase("path");
  CHECK(on_disk == expected);

  CHECK(on_disk.at("schema_version").is_string());
  CHECK(!on_disk.at("run_id").get<std::string>().empty());
  CHECK(on_disk.at("suite").at("name") == "core-test");
  CHECK_FALSE(on_disk.at("suite").contains("trial"));
  CHECK(on_disk.at("method").at("name") == method);
  CHECK(is_hex(on_disk.at("method").at("config_hash"), 16));
  CHECK(on_disk.at("method").at("origin") == json{{"kind", "built-in"}});
  CHECK(on_disk.at("model").at("parameter_count").get<int64_t>() > 0);
  // The parameter count is that of the recorded shape.
  BertClassifier rebuilt(BertConfig::from_json(on_disk.at("model").at("config")));
  CHECK(on_disk.at("model").at("parameter_count").get<int64_t>() == rebuilt->parameter_count());
  for (const char* role : {"train", "calibration", "test"}) {
    INFO("role " << role);
    const json& r = on_disk.at("task").at("roles").at(role);
    CHECK(is_hex(r.at("sha256"), 64));
    CHECK(!r.at("source").get<std::string>().empty());
    CHECK(r.at("examples").get<size_t>() > 0);
  }
  CHECK(on_disk["task"]["roles"]["test"]["source"] == "dev");
  CHECK(on_disk["task"]["roles"]["test"]["sha256"] == sha256_file(f.dir / "data/sst2/dev.tsv"));
  CHECK(on_disk["task"]["roles"]["test"]["examples"] == prepared.test.size());
  const double accuracy = on_disk.at("metrics").at("accuracy");
  CHECK(accuracy >= 0.0);
  CHECK(accuracy <= 1.0);
  const json& points = on_disk.at("operating_points");
  REQUIRE(points.is_array());
  REQUIRE(!points.empty());
  const int layers = on_disk["model"]["config"]["num_hidden_layers"];
  for (const auto& p : points) {
    CHECK(p.at("accuracy").is_number());
    CHECK(p.at("flops_per_instance").get<double>() > 0);
    auto histogram = p.at("exit_histogram").at("by_layers_run").get<std::vector<int64_t>>();
    CHECK(histogram.size() == static_cast<size_t>(layers));
    int64_t total = 0;
    for (auto h : histogram) total += h;
    CHECK(total == static_cast<int64_t>(prepared.test.size()));
  }
  CHECK(on_disk["metrics"]["accuracy"] == points.back()["accuracy"]);
  CHECK(on_disk["efficiency"]["flops_per_instance"] == points.back()["flops_per_instance"]);
  CHECK(!on_disk.at("software").at("blas").at("name").get<std::string>().empty());
  CHECK(on_disk.at("reproducibility").at("seed") == 13);
  check_efficiency_fields(on_disk, prepared.test.size());
}

}  // namespace

TEST_CASE("run_method writes complete records whose FLOPs follow from the model and the test lengths", "[runner]") {
  SmallRun f;
  PreparedTask prepared = prepare_task("sst2", f.settings);
  REQUIRE(prepared.test.size() == 60);
  REQUIRE(prepared.train.size() + prepared.calibration.size() == 200);

  json standard = run_method(prepared, "standard", json::object(), f.settings);
  json truncated = run_method(prepared, "truncated", {{"layers", 1}}, f.settings);
  json early = run_method(prepared, "early_exit", json::object(), f.settings);
  check_record(standard, "standard", prepared, f);
  check_record(truncated, "truncated", prepared, f);
  check_record(early, "early_exit", prepared, f);

  // standard: 2 layers, one head, for every instance.
  const BertConfig standard_config = BertConfig::from_json(standard["model"]["config"]);
  CHECK(standard_config.num_hidden_layers == 2);
  CHECK(standard_config.exit_layers == std::vector<int>{1});
  const double standard_flops = standard["operating_points"][0]["flops_per_instance"];
  CHECK(standard_flops == Approx(mean_flops(standard_config, prepared.test, 2, 1)).epsilon(1e-12));
  CHECK(standard["operating_points"][0]["exit_histogram"]["by_layers_run"] == json({0, 60}));

  // truncated k=1: one layer, one head; cheaper than standard.
  const BertConfig truncated_config = BertConfig::from_json(truncated["model"]["config"]);
  CHECK(truncated_config.num_hidden_layers == 1);
  const double truncated_flops = truncated["operating_points"][0]["flops_per_instance"];
  CHECK(truncated_flops == Approx(mean_flops(truncated_config, prepared.test, 1, 1)).epsilon(1e-12));
  CHECK(truncated_flops < standard_flops);
  CHECK(truncated["model"]["parameter_count"] < standard["model"]["parameter_count"]);

  // early_exit: exits at both layers; one operating point per default threshold.
  const BertConfig early_config = BertConfig::from_json(early["model"]["config"]);
  CHECK(early_config.exit_layers == std::vector<int>{0, 1});
  // The confidence rule's fp32 points (the other rules and int8 come first).
  json points = json::array();
  for (const auto& p : early["operating_points"])
    if (!p["setting"].contains("rule") && !p["setting"].contains("arithmetic")) points.push_back(p);
  const auto thresholds = method_registry().get("early_exit").default_config.at("thresholds").get<std::vector<double>>();
  // Two labels: the thresholds at or below 0.5 are one point (0.5).
  REQUIRE(std::count_if(thresholds.begin(), thresholds.end(), [](double t) { return t < 0.5; }) > 0);
  REQUIRE(points.size() == static_cast<size_t>(std::count_if(thresholds.begin(), thresholds.end(), [](double t) { return t >= 0.5; })));
  const double one_layer = mean_flops(early_config, prepared.test, 1, 1);
  const double full_depth = mean_flops(early_config, prepared.test, 2, 2);
  // With two labels the top probability is always >= 0.5: everyone leaves at the first exit.
  CHECK(points.front()["setting"]["threshold"] == 0.5);
  CHECK(points.front()["flops_per_instance"].get<double>() == Approx(one_layer).epsilon(1e-12));
  // The highest threshold is the full-depth model (both layers, both heads).
  CHECK(points.back()["flops_per_instance"].get<double>() == Approx(full_depth).epsilon(1e-12));
  CHECK(points.back()["exit_histogram"]["by_layers_run"] == json({0, 60}));
  CHECK(full_depth > standard_flops);  // same layers plus the extra head
  CHECK(full_depth - standard_flops ==
        Approx(mean_flops(early_config, prepared.test, 0, 1)).epsilon(1e-9));
  double previous = 0;
  for (const auto& p : points) {
    const double flops = p["flops_per_instance"];
    CHECK(flops >= one_layer * (1 - 1e-12));
    CHECK(flops <= full_depth * (1 + 1e-12));
    CHECK(flops >= previous * (1 - 1e-12));  // thresholds ascend, so does the cost
    previous = flops;
  }
  const json& oracle = early.at("analysis").at("oracle");
  CHECK(oracle.at("accuracy").get<double>() >= 0);
  CHECK(oracle.at("exit_histogram").size() == 2);
  CHECK(early["analysis"]["per_exit"].size() == 2);
  CHECK(oracle.at("accuracy").get<double>() >= points.back()["accuracy"].get<double>() - 1e-12);
  CHECK(standard["analysis"].is_object());

  // No temporary files are left behind.
  for (const auto& entry : fs::recursive_directory_iterator(f.settings.results_dir)) {
    INFO(entry.path());
    CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
  }
  // Three records, one per method.
  int records = 0;
  for (const auto& entry : fs::recursive_directory_iterator(f.settings.results_dir)) records += entry.is_regular_file();
  CHECK(records == 3);
}

TEST_CASE("early exit's record equals a recomputation from the method's own per-instance paths", "[runner]") {
  SmallRun f;
  PreparedTask prepared = prepare_task("sst2", f.settings);
  TrainedMethod trained = train_method(prepared, "early_exit", json::object(), f.settings);
  json record = evaluate_method(prepared, trained, f.settings);
  Method* method = trained.method.get();
  const BertConfig config = method->shape_at(method->operating_points().back()).bert;
  CHECK(config.to_json() == record["model"]["config"]);
  CHECK(record["method"]["config_hash"] == trained.config_hash);

  const auto points = method->operating_points();
  REQUIRE(points.size() == record["operating_points"].size());
  std::vector<Prediction> out;
  for (size_t k = 0; k < points.size(); ++k) {
    INFO("operating point " << points[k].name);
    std::vector<Prediction> all(prepared.test.size());
    // Another batch size than the runner's, except for int8 points: dynamic
    // ones quantize activations per call, so an answer can depend on its
    // batch, and a calibrated one's rounding can flip on the last-bit fp32
    // differences another batch shape makes.
    const bool int8 = points[k].setting.value("arithmetic", "fp32") == "int8";
    for (const auto& indices : sorted_batches(prepared.test, int8 ? f.settings.eval_batch_size : 5)) {
      method->predict(collate(prepared.test, indices), points[k], out);
      for (size_t i = 0; i < indices.size(); ++i) all[static_cast<size_t>(indices[i])] = out[i];
    }
    double flops = 0, correct = 0;
    std::vector<int64_t> histogram(static_cast<size_t>(config.num_hidden_layers), 0);
    for (size_t i = 0; i < all.size(); ++i) {
      flops += instance_flops(config, static_cast<int>(prepared.test.ids[i].size()), all[i].layers_run, all[i].exits_evaluated);
      histogram[static_cast<size_t>(all[i].layers_run - 1)] += 1;
      correct += all[i].label == prepared.test.labels[i];
    }
    const json& p = record["operating_points"][k];
    CHECK(p["name"] == points[k].name);
    CHECK(p["flops_per_instance"].get<double>() == Approx(flops / all.size()).epsilon(1e-12));
    CHECK(p["exit_histogram"]["by_layers_run"].get<std::vector<int64_t>>() == histogram);
    CHECK(p["accuracy"].get<double>() == Approx(correct / all.size()));
  }
}

TEST_CASE("the same settings give the same record twice", "[runner]") {
  SmallRun f;
  PreparedTask first = prepare_task("sst2", f.settings);
  const json only_confidence = {{"thresholds", {0.6, 0.8, 1.0}}, {"entropy_thresholds", json::array()},
                                 {"patience", json::array()}, {"int8", {{"thresholds", json::array()}}}};
  json a = run_method(first, "early_exit", only_confidence, f.settings);
  PreparedTask second = prepare_task("sst2", f.settings);  // reads the cached vocabulary
  json b = run_method(second, "early_exit", only_confidence, f.settings);
  CHECK(a["run_id"] == b["run_id"]);
  CHECK(a["path"] == b["path"]);
  CHECK(a["task"] == b["task"]);
  CHECK(a["metrics"]["accuracy"] == b["metrics"]["accuracy"]);
  CHECK(a["analysis"] == b["analysis"]);
  REQUIRE(a["operating_points"].size() == 3);
  for (size_t k = 0; k < 3; ++k) {
    for (const char* key : {"name", "accuracy", "macro_f1", "flops_per_instance", "exit_histogram"})
      CHECK(a["operating_points"][k][key] == b["operating_points"][k][key]);
  }
  CHECK(a["training"]["calibration"] == b["training"]["calibration"]);
  int vocab_files = 0;
  for (const auto& entry : fs::directory_iterator(f.settings.cache_dir)) vocab_files += entry.is_regular_file();
  CHECK(vocab_files == 1);

  // A different seed is a different run.
  RunSettings other = f.settings;
  other.seed = 14;
  other.train.seed = 14;
  json c = run_method(first, "standard", json::object(), other);
  json d = run_method(first, "standard", json::object(), f.settings);
  CHECK(c["run_id"] != d["run_id"]);
}

TEST_CASE("the latency sample pairs each timed instance with an unused other instance of its length", "[runner]") {
  EncodedSet set;
  for (size_t length : {3, 3, 5, 7, 7, 7, 9, 2, 2, 2}) {
    set.ids.push_back(std::vector<int32_t>(length, 5));
    set.type_ids.push_back(std::vector<int32_t>(length, 0));
    set.labels.push_back(0);
  }
  for (uint64_t seed : {1, 2, 3, 4}) {
    const LatencySample sample = latency_sample(set, 6, seed);
    REQUIRE(sample.timed.size() == 6);
    REQUIRE(sample.warm_up.size() == 6);
    std::set<int64_t> timed, stand_ins;
    for (const auto& b : sample.timed) timed.insert(b.indices.at(0));
    CHECK(timed.size() == 6);
    for (size_t k = 0; k < 6; ++k) {
      const int64_t t = sample.timed[k].indices.at(0), w = sample.warm_up[k].indices.at(0);
      CHECK(set.ids[w].size() == set.ids[t].size());
      if (w == t) {
        // Only when every other instance of this length is timed or taken.
        size_t others = 0;
        for (size_t i = 0; i < set.size(); ++i)
          others += set.ids[i].size() == set.ids[t].size() && !timed.count(static_cast<int64_t>(i)) &&
                    !stand_ins.count(static_cast<int64_t>(i));
        CHECK(others == 0);
      } else {
        CHECK(!timed.count(w));
        CHECK(stand_ins.insert(w).second);  // each stand-in used once
      }
    }
  }
  CHECK(latency_sample(set, 100, 1).timed.size() == set.size());
  CHECK(latency_sample(set, -1, 1).timed.empty());
}

// `standard`, recording the instances of every batch-1 predict call.
class RecordingStandard : public Method {
 public:
  explicit RecordingStandard(std::vector<int64_t>& singles) : inner_(method_registry().get("standard").make()), singles_(singles) {}
  json train(MethodContext& c) override { return inner_->train(c); }
  json calibrate(MethodContext& c) override { return inner_->calibrate(c); }
  std::vector<OperatingPoint> operating_points() const override { return inner_->operating_points(); }
  void predict(const Batch& b, const OperatingPoint& p, std::vector<Prediction>& out) override {
    if (b.indices.size() == 1) singles_.push_back(b.indices[0]);
    inner_->predict(b, p, out);
  }
  ModelShape shape_at(const OperatingPoint& p) const override { return inner_->shape_at(p); }
  std::string save(const std::string& dir) override { return inner_->save(dir); }
  void load(const std::string& dir, const json& config) override { inner_->load(dir, config); }

 private:
  std::unique_ptr<Method> inner_;
  std::vector<int64_t>& singles_;
};

TEST_CASE("batch-1 latency is timed after untimed passes over stand-ins of the timed instances", "[runner]") {
  static std::vector<int64_t> singles;
  static bool registered = false;
  if (!registered) {
    method_registry().add({"recording_standard", "baseline", "standard, recording batch-1 calls", json::object(),
                           [] { return std::make_unique<RecordingStandard>(singles); }});
    registered = true;
  }
  SmallRun f;
  f.settings.eval_batch_size = 7;  // 60 = 8 x 7 + 4: no batch of one outside the latency protocol
  PreparedTask prepared = prepare_task("sst2", f.settings);
  const LatencySample sample = latency_sample(prepared.test, 6, f.settings.seed);
  std::vector<int64_t> timed, stand_ins;
  for (size_t k = 0; k < 6; ++k) {
    timed.push_back(sample.timed[k].indices[0]);
    stand_ins.push_back(sample.warm_up[k].indices[0]);
  }
  for (int passes : {0, 1, 2}) {
    singles.clear();
    f.settings.measure.latency_instances = 6;
    f.settings.measure.latency_warmup_passes = passes;
    const json record = run_method(prepared, "recording_standard", json::object(), f.settings);
    CHECK(record.at("measurement_settings").at("latency_warmup_passes") == passes);
    REQUIRE(singles.size() == static_cast<size_t>(6 * (passes + 1)));
    CHECK(std::vector<int64_t>(singles.end() - 6, singles.end()) == timed);
    for (int pass = 0; pass < passes; ++pass) {
      CHECK(std::vector<int64_t>(singles.begin() + 6 * pass, singles.begin() + 6 * (pass + 1)) == stand_ins);
    }
    CHECK(record.at("operating_points")[0].at("latency_batch1").at("count") == 6);
  }
}

TEST_CASE("run_method rejects unknown methods and out-of-range settings with a clear error", "[runner]") {
  SmallRun f;
  PreparedTask prepared = prepare_task("sst2", f.settings);
  CHECK_THROWS_WITH(run_method(prepared, "nope", json::object(), f.settings), Contains("known methods"));
  CHECK_THROWS_WITH(run_method(prepared, "truncated", {{"layers", 3}}, f.settings), Contains("'layers' must be in [1, 2]"));
}

TEST_CASE("prepare_task names the folder it looked in and the fetch command when data is missing", "[runner]") {
  SmallRun f;
  RunSettings s = f.settings;
  s.data_root = f.dir / "empty";
  try {
    prepare_task("sst2", s);
    FAIL("prepare_task did not throw");
  } catch (const DataMissingError& e) {
    CHECK_THAT(e.what(), Contains(f.dir / "empty/sst2") && Contains("greenbench data fetch sst2"));
  }
}

TEST_CASE("a method saved with save_trained and restored with load_trained evaluates the same", "[runner]") {
  SmallRun f;
  PreparedTask prepared = prepare_task("sst2", f.settings);
  TrainedMethod trained = train_method(prepared, "early_exit", {{"thresholds", {0.6, 0.8, 1.0}}}, f.settings);
  const std::string checkpoint = f.dir / "checkpoint";
  save_trained(prepared, trained, f.settings, checkpoint);
  CHECK(fs::exists(checkpoint + "/run.json"));
  CHECK(fs::exists(checkpoint + "/vocab.txt"));
  json original = evaluate_method(prepared, trained, f.settings);

  RunSettings overrides = f.settings;
  overrides.model_size = "mini";  // run.json's settings win over these
  overrides.results_dir = f.dir / "results-loaded";
  auto [task_name, settings] = checkpoint_run_settings(checkpoint, overrides);
  CHECK(task_name == "sst2");
  CHECK(settings.model_size == "tiny");
  CHECK(settings.num_layers == 2);
  PreparedTask reloaded_task = prepare_task(task_name, settings);
  CHECK(reloaded_task.test.ids == prepared.test.ids);  // same vocabulary, same pieces
  TrainedMethod loaded = load_trained(checkpoint);
  json restored = evaluate_method(reloaded_task, loaded, settings);

  // Its own record, named after the trained run and the evaluation settings.
  CHECK_THAT(restored["run_id"].get<std::string>(), Contains(original["method"]["config_hash"].get<std::string>() + "-eval-"));
  CHECK(restored["run_id"] != original["run_id"]);
  CHECK(restored["method"]["config_hash"] == original["method"]["config_hash"]);
  CHECK(restored["model"] == original["model"]);
  CHECK(restored["analysis"] == original["analysis"]);
  REQUIRE(restored["operating_points"].size() == original["operating_points"].size());
  for (size_t k = 0; k < original["operating_points"].size(); ++k) {
    for (const char* key : {"name", "accuracy", "macro_f1", "flops_per_instance", "exit_histogram"})
      CHECK(restored["operating_points"][k][key] == original["operating_points"][k][key]);
  }
  CHECK(restored["training"]["calibration"] == original["training"]["calibration"]);
}
