// The config hash must not move: finished records and checkpoints are found
// again by it (suite reuse, `greenbench eval`). These hashes were computed by
// the code at e9c3777, before the settings table existed; a change to the
// table that changes any of them breaks reuse of every earlier result.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "greenbench/task.h"
#include "run/runner.h"
#include "run/suite.h"

using namespace greenbench;
using nlohmann::json;

namespace {

// A task whose training split has a fixed sha256: all the hash reads of it.
PreparedTask task_with_train_sha(const std::string& name, const std::string& sha) {
  PreparedTask p;
  p.task = make_task(name);
  p.data.train.sha256 = sha;
  return p;
}

// Settings as a suite file and a command line would build them.
RunSettings suite_settings(const std::string& suite_name, uint64_t seed) {
  RunSettings s;
  apply_suite_settings(load_suite(suite_name).settings, s, suite_name);
  s.seed = s.train.seed = s.roles.seed = seed;
  return s;
}

std::string hash_of(const std::string& task, const std::string& method, const json& config, const RunSettings& s) {
  const PreparedTask p = task_with_train_sha(task, std::string(64, 'a'));
  return run_config_hash(p, method, merged_method_config(method, config), s);
}

}  // namespace

TEST_CASE("config hashes of existing configurations are those of e9c3777", "[settings][hash]") {
  SECTION("the harness defaults, standard") {
    CHECK(hash_of("sst2", "standard", json::object(), RunSettings{}) == "601b5a687b66bd9f");
  }
  SECTION("the smoke suite, bow and early exit") {
    const RunSettings s = suite_settings("smoke", 13);
    CHECK(hash_of("sst2", "bow", json::object(), s) == "70698696021ffe5b");
    CHECK(hash_of("ag_news", "early_exit", json::object(), s) == "bdc427fd37259181");
  }
  SECTION("the quick suite with trial 0's draws") {
    const Suite quick = load_suite("quick");
    RunSettings s = suite_settings("quick", 7);
    json draws = sample_trial(quick, 0);
    draws.erase("seed");
    apply_suite_settings(draws, s, "trial 0");
    CHECK(hash_of("imdb", "truncated", {{"layers", 2}}, s) == "b1246d04781b48b1");
  }
  SECTION("pretraining, LayerDrop, a vocabulary file and subsamples") {
    RunSettings s;
    apply_suite_settings({{"pretrain_epochs", 1.5}, {"pretrain_lr", 3e-4}, {"pretrain_seed", 5}, {"warmup_fraction", 0.2},
                          {"weight_decay", 0.05}, {"precision", "fp32"}, {"max_train", 500}, {"max_test", 50},
                          {"eval_batch_size", 8}, {"threads", 1}, {"pooling", "cls"}, {"size", "small"}},
                         s, "test");
    s.train.layerdrop = 0.1;
    s.train.exit_loss_weights = {1, 0.5};
    s.vocab_file = "vocab/bert-base-uncased.txt";
    s.measure.latency_instances = 3;  // not hashed
    CHECK(hash_of("snli", "standard", json::object(), s) == "c2561ea5810a82a4");
  }
}
