// Suites as data and what a sweep does with them, without training anything:
// parsing (with errors that say where), grids, settings, random-search trials
// (deterministic, independent of the trial count, inside their bounds),
// units and shards (disjoint, covering), merging shard folders, and the
// Slurm and Kubernetes jobs a sweep emits.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "run/cluster_jobs.h"
#include "run/merge_records.h"
#include "run/suite.h"
#include "run/suite_runner.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

using namespace greenbench;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

json minimal_suite() {
  return json::parse(R"({
    "name": "t", "version": "1", "tasks": ["sst2", "ag_news"],
    "settings": {"size": "tiny", "layers": 2, "lr": 0.001},
    "seeds": [1, 2],
    "methods": [{"method": "standard"}, {"method": "truncated", "grid": {"layers": [1, 2]}}],
    "search": {"trials": 3, "space": {"lr": {"log_uniform": [0.0001, 0.01]}, "batch_size": {"choice": [16, 32]},
                                       "epochs": {"uniform": [1, 2]}, "seed": {"int": [5, 9]}}}
  })");
}

std::string parse_error(const json& j) {
  try {
    parse_suite(j, "my-suite.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a suite file is parsed with its grid expanded and its settings applied", "[suite]") {
  const Suite s = parse_suite(minimal_suite(), "my-suite.json");
  CHECK(s.name == "t");
  CHECK(s.tasks == std::vector<std::string>{"sst2", "ag_news"});
  CHECK(s.seeds == std::vector<uint64_t>{1, 2});
  REQUIRE(s.methods.size() == 3);
  CHECK(s.methods[1].method == "truncated");
  CHECK(s.methods[1].config == json{{"layers", 1}});
  CHECK(s.methods[2].config == json{{"layers", 2}});
  CHECK(s.default_trials == 3);
  RunSettings settings;
  apply_suite_settings(s.settings, settings, "here");
  CHECK(settings.model_size == "tiny");
  CHECK(settings.num_layers == 2);
  CHECK(settings.train.learning_rate == 0.001);
  CHECK_FALSE(settings.pretrain.enabled());

  apply_suite_settings(json{{"pretrain_epochs", 3}, {"pretrain_lr", 0.0002}, {"pretrain_seed", 7}}, settings, "here");
  CHECK(settings.pretrain.enabled());
  CHECK(settings.pretrain.epochs == 3);
  CHECK(settings.pretrain.learning_rate == 0.0002);
  CHECK(settings.pretrain.seed == 7);
  CHECK(settings.train.learning_rate == 0.001);  // fine-tuning's own rate stays
}

TEST_CASE("a suite may give a setting under its canonical name or its old name", "[suite][settings]") {
  RunSettings old_names, new_names;
  apply_suite_settings(json{{"lr", 0.003}, {"size", "small"}, {"layers", 3}, {"pretrain_lr", 0.0001}}, old_names, "old");
  apply_suite_settings(json{{"learning_rate", 0.003}, {"model_size", "small"}, {"num_layers", 3},
                            {"pretrain_learning_rate", 0.0001}},
                       new_names, "new");
  for (const RunSettings* s : {&old_names, &new_names}) {
    CHECK(s->train.learning_rate == 0.003);
    CHECK(s->model_size == "small");
    CHECK(s->num_layers == 3);
    CHECK(s->pretrain.learning_rate == 0.0001);
  }
  CHECK(old_names.to_json() == new_names.to_json());
  // Settings the command line alone gives are not suite keys.
  CHECK_THROWS_WITH(apply_suite_settings(json{{"results", "x"}}, new_names, "here"), Contains("unknown setting \"results\""));
  CHECK_THROWS_WITH(apply_suite_settings(json{{"seed", 3}}, new_names, "here"), Contains("unknown setting \"seed\""));
}

TEST_CASE("every built-in suite still parses, under the old names it uses", "[suite][settings]") {
  for (const auto& name : builtin_suite_names()) {
    INFO(name);
    const Suite suite = load_suite(name);
    RunSettings s;
    CHECK_NOTHROW(apply_suite_settings(suite.settings, s, name));
    if (suite.settings.contains("lr")) CHECK(s.train.learning_rate == suite.settings.at("lr").get<double>());
    for (int t = 0; t < 2 && !suite.search.empty(); ++t) {
      json drawn = sample_trial(suite, t);
      drawn.erase("seed");
      CHECK_NOTHROW(apply_suite_settings(drawn, s, name));
    }
  }
}

TEST_CASE("a bad suite is refused naming the file and what was expected", "[suite]") {
  json j = minimal_suite();
  j["tasks"] = {"sst3"};
  CHECK_THAT(parse_error(j), Contains("sst3"));
  j = minimal_suite();
  j["methods"][0]["method"] = "nope";
  CHECK_THAT(parse_error(j), Contains("nope"));
  j = minimal_suite();
  j["settings"]["learning_rte"] = 0.1;
  CHECK_THAT(parse_error(j), Contains("my-suite.json"));
  CHECK_THAT(parse_error(j), Contains("unknown setting \"learning_rte\""));
  j = minimal_suite();
  j["settings"]["learning_rate"] = 0.1;
  j["settings"]["lr"] = 0.2;
  CHECK_THAT(parse_error(j), Contains("setting \"learning_rate\" is given twice"));
  j = minimal_suite();
  j["search"]["space"]["lr"] = {{"uniform", {0.1, 0.2}}};
  j["search"]["space"]["learning_rate"] = {{"uniform", {0.1, 0.2}}};
  CHECK_THAT(parse_error(j), Contains("learning_rate is drawn twice"));
  j = minimal_suite();
  j["settings"]["latency_warmup"] = 10;
  CHECK_THAT(parse_error(j), Contains("replaced by \"latency_warmup_passes\""));
  j = minimal_suite();
  j["settings"]["latency_warmup_passes"] = -1;
  CHECK(!parse_error(j).empty());
  j = minimal_suite();
  j["settings"]["layers"] = "two";
  CHECK_THAT(parse_error(j), Contains("'layers' must be an integer"));
  j = minimal_suite();
  j["search"]["space"]["lr"] = {{"log_uniform", {0.0, 1.0}}};
  CHECK_THAT(parse_error(j), Contains("search.space.lr"));
  j = minimal_suite();
  j["search"]["space"]["dropout"] = {{"uniform", {0.0, 1.0}}};
  CHECK_THAT(parse_error(j), Contains("not a settings key"));
  j = minimal_suite();
  j.erase("methods");
  CHECK_THAT(parse_error(j), Contains("missing \"methods\""));
  j = minimal_suite();
  j["method"] = json::array();
  CHECK_THAT(parse_error(j), Contains("unknown key \"method\""));
  CHECK_THROWS_WITH(load_suite("no-such-suite"), Contains("smoke"));
  // A grid of 10^6 combinations (six keys of ten values: a few hundred bytes
  // of JSON) is refused before it is expanded.
  j = minimal_suite();
  json values = json::array();
  for (int v = 1; v <= 10; ++v) values.push_back(v);
  for (const char* key : {"a", "b", "c", "d", "e", "layers"}) j["methods"][1]["grid"][key] = values;
  CHECK_THAT(parse_error(j), Contains("more than 10000"));
}

TEST_CASE("every built-in suite parses, and quick runs every built-in method", "[suite]") {
  const auto names = builtin_suite_names();
  CHECK(std::set<std::string>(names.begin(), names.end()) == std::set<std::string>{"smoke", "quick", "full", "paper"});
  for (const auto& name : names) {
    INFO(name);
    const Suite s = load_suite(name);
    CHECK(s.name == name);
    CHECK(s.source == "built-in");
    CHECK(!s.search.empty());
  }
  const Suite quick = load_suite("quick");
  std::set<std::string> in_quick;
  for (const auto& m : quick.methods) in_quick.insert(m.method);
  for (const auto& m : method_registry().all()) {
    if (method_registry().origin(m.name).empty()) CHECK(in_quick.count(m.name) == 1);
  }
  CHECK(quick.tasks.size() == 5);
  const Suite paper = load_suite("paper");
  CHECK(paper.methods[1].config.at("exit_layers") == json({0, 4, 12, 23}));
}

TEST_CASE("trial t draws the same values in every sweep, inside the declared bounds", "[suite][sweep]") {
  const Suite s = parse_suite(minimal_suite(), "x");
  std::set<std::string> distinct;
  for (int t = 0; t < 40; ++t) {
    const json a = sample_trial(s, t);
    CHECK(a == sample_trial(s, t));
    distinct.insert(a.dump());
    const double lr = a.at("lr").get<double>();
    CHECK(lr >= 0.0001);
    CHECK(lr <= 0.01);
    CHECK((a.at("batch_size") == 16 || a.at("batch_size") == 32));
    CHECK(a.at("epochs").get<double>() >= 1);
    CHECK(a.at("epochs").get<double>() <= 2);
    CHECK(a.at("seed").get<int>() >= 5);
    CHECK(a.at("seed").get<int>() <= 9);
  }
  CHECK(distinct.size() > 30);
  // Trial 0 of a 3-trial sweep is trial 0 of a 10-trial sweep.
  const auto three = plan_units(s, 3), ten = plan_units(s, 10);
  for (size_t i = 0; i < three.size(); ++i) {
    CHECK(three[i].overrides == ten[i].overrides);
    CHECK(three[i].seed == ten[i].seed);
  }
}

TEST_CASE("units: tasks x seeds for a run, tasks x trials for a sweep, the draws applied to the settings", "[suite][sweep]") {
  const Suite s = parse_suite(minimal_suite(), "x");
  const auto run = plan_units(s, 0);
  REQUIRE(run.size() == 4);
  CHECK(run[0].task == "sst2");
  CHECK(run[1].task == "ag_news");
  CHECK(run[2].seed == 2);
  CHECK(run[0].trial == -1);
  const auto sweep = plan_units(s, 3);
  REQUIRE(sweep.size() == 6);
  CHECK(sweep[5].trial == 2);
  CHECK_FALSE(sweep[0].overrides.contains("seed"));  // the drawn seed is the unit's seed

  RunSettings base;
  apply_suite_settings(s.settings, base, "x");
  const RunSettings u = unit_settings(s, sweep[2], base);
  CHECK(u.train.learning_rate == sweep[2].overrides.at("lr").get<double>());
  CHECK(u.train.batch_size == sweep[2].overrides.at("batch_size").get<int>());
  CHECK(u.seed == sweep[2].seed);
  CHECK(u.train.seed == u.seed);
  CHECK(u.roles.seed == u.seed);
  CHECK(u.trial == 1);
  CHECK(u.suite == "t");
  CHECK(u.num_layers == 2);  // the suite's, untouched by the draws

  json no_search = minimal_suite();
  no_search.erase("search");
  CHECK_THROWS_WITH(plan_units(parse_suite(no_search, "x"), 2), Contains("no search space"));
}

TEST_CASE("shards are disjoint, cover the plan and do not depend on anything but i and N", "[suite][sweep]") {
  const Suite s = parse_suite(minimal_suite(), "x");
  const auto units = plan_units(s, 7);  // 14 units
  for (int n : {1, 2, 3, 5, 20}) {
    std::multiset<std::string> seen;
    for (int i = 0; i < n; ++i) {
      for (const auto& u : shard_units(units, i, n)) seen.insert(u.label());
    }
    CHECK(seen.size() == units.size());
    CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == units.size());
  }
  CHECK(parse_shard("2/5") == std::pair<int, int>{2, 5});
  CHECK_THROWS_WITH(parse_shard("5/5"), Contains("0 <= i < N"));
  CHECK_THROWS_WITH(parse_shard("1-4"), Contains("expected i/N"));
  CHECK_THROWS_WITH(parse_shard("1/4x"), Contains("expected i/N"));
}

namespace {
// A record with what merge reads: run id, task, operating points.
json fake_record(const std::string& run_id, double accuracy, double ms) {
  return {{"run_id", run_id},
          {"task", {{"name", "sst2"}}},
          {"method", {{"name", "standard"}}},
          {"metrics", {{"accuracy", accuracy}, {"operating_point", "full"}}},
          {"operating_points",
           {{{"name", "full"}, {"accuracy", accuracy}, {"macro_f1", accuracy}, {"flops_per_instance", 1e6},
             {"ms_per_instance", ms}}}}};
}
}  // namespace

TEST_CASE("merge copies each run once, accepts the same run measured twice, names conflicts and non-records",
          "[suite][merge]") {
  greenbench::testing::TempDir dir("merge");
  write_file_atomic(dir / "a/sst2/sst2-standard-1-s1.json", fake_record("sst2-standard-1-s1", 0.8, 1.0).dump());
  write_file_atomic(dir / "a/sst2/sst2-bow-2-s1.json", fake_record("sst2-bow-2-s1", 0.7, 1.0).dump());
  // The same run in shard b, timed differently: not a conflict.
  write_file_atomic(dir / "b/sst2/sst2-standard-1-s1.json", fake_record("sst2-standard-1-s1", 0.8, 2.0).dump());
  // The same run with another accuracy: a conflict, the first kept.
  write_file_atomic(dir / "b/x/sst2-bow-2-s1.json", fake_record("sst2-bow-2-s1", 0.6, 1.0).dump());
  greenbench::testing::write_file(dir / "b/sst2/broken.json", "{\"run_id\": ");
  greenbench::testing::write_file(dir / "b/sst2/sst2-x-3-s1.json.tmp.4242", "{");
  greenbench::testing::write_file(dir / "b/sst2/evil.json", fake_record("../../escape", 0.5, 1).dump());

  const MergeReport r = merge_records({dir / "a", dir / "b"}, dir / "out");
  CHECK(r.copied == 2);
  CHECK(r.already_there == 1);
  CHECK(r.temp_files == 1);
  REQUIRE(r.conflicts.size() == 1);
  CHECK_THAT(r.conflicts[0], Contains("sst2-bow-2-s1"));
  REQUIRE(r.refused.size() == 2);
  CHECK_FALSE(r.ok());
  CHECK(json::parse(read_file(dir / "out/sst2/sst2-bow-2-s1.json")).at("operating_points")[0].at("accuracy") == 0.7);
  CHECK_FALSE(std::filesystem::exists(dir / "escape.json"));
  // Merging again copies nothing new.
  const MergeReport again = merge_records({dir / "a"}, dir / "out");
  CHECK(again.copied == 0);
  CHECK(again.already_there == 2);
  CHECK(again.ok());
  CHECK_THROWS_WITH(merge_records({dir / "nope"}, dir / "out"), Contains("not a folder"));
}

TEST_CASE("the sweep's own shard options are stripped before a cluster job adds its own", "[suite][cluster]") {
  const std::vector<std::string> args = {"-q", "sweep", "--suite", "smoke", "--emit", "slurm", "--shards=4",
                                         "--results", "r", "--data=d", "--trials", "2"};
  CHECK(strip_options(args, {"--emit", "--shards", "--results", "--data"}) ==
        std::vector<std::string>{"-q", "sweep", "--suite", "smoke", "--trials", "2"});
  CHECK(job_name("My_Suite.v2") == "greenbench-my-suite-v2");
}

TEST_CASE("the Slurm script is a job array of one task per shard, each into its own folder", "[suite][cluster]") {
  ShardedSweep sweep{"smoke", 3, 2, {"sweep", "--suite", "smoke", "--trials", "4", "--note", "it's"}};
  const std::string script = slurm_array_script(sweep, {"/opt/gb/greenbench", "/work", "/data", "/res"});
  CHECK(script.rfind("#!/bin/bash\n", 0) == 0);
  CHECK_THAT(script, Contains("#SBATCH --array=0-2\n"));
  CHECK_THAT(script, Contains("#SBATCH --cpus-per-task=2\n"));
  CHECK_THAT(script, Contains("#SBATCH --chdir=/work\n"));
  CHECK_THAT(script, Contains("exec '/opt/gb/greenbench' 'sweep' '--suite' 'smoke' '--trials' '4' '--note' 'it'\\''s' "
                              "--shard \"$shard/3\" --data '/data' --results '/res/shards/'\"$shard\" --cache '/res/cache'"));
  CHECK_THAT(script, Contains("merge --out '/res' '/res/shards/'*"));
  CHECK_THROWS(slurm_array_script({"s", 0, 1, {}}, {"g", "/", "/d", "/r"}));
}

TEST_CASE("the Kubernetes manifest is an Indexed Job with one completion per shard", "[suite][cluster]") {
  ShardedSweep sweep{"quick", 4, 2, {"sweep", "--suite", "quick"}};
  const json job = json::parse(kubernetes_indexed_job(sweep, KubernetesTarget{}));
  CHECK(job.at("apiVersion") == "batch/v1");
  CHECK(job.at("kind") == "Job");
  CHECK(job.at("metadata").at("name") == "greenbench-quick");
  const json& spec = job.at("spec");
  CHECK(spec.at("completionMode") == "Indexed");
  CHECK(spec.at("completions") == 4);
  CHECK(spec.at("parallelism") == 4);
  const json& pod = spec.at("template").at("spec");
  CHECK(pod.at("restartPolicy") == "Never");
  const json& c = pod.at("containers").at(0);
  CHECK(c.at("image") == "greenbench:latest");
  CHECK(c.at("command") == json{"/greenbench/build/greenbench"});
  const auto args = c.at("args").get<std::vector<std::string>>();
  const auto at = [&](const std::string& flag) { return *(std::find(args.begin(), args.end(), flag) + 1); };
  CHECK(at("--shard") == "$(JOB_COMPLETION_INDEX)/4");
  CHECK(at("--results") == "/results/shards/$(JOB_COMPLETION_INDEX)");
  CHECK(at("--data") == "/data");
  CHECK(c.at("resources").at("limits").at("cpu") == "2");
  std::set<std::string> claims;
  for (const auto& v : pod.at("volumes")) claims.insert(v.at("persistentVolumeClaim").at("claimName"));
  CHECK(claims == std::set<std::string>{"greenbench-data", "greenbench-results"});
}
