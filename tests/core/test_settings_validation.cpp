// One validation of settings (settings/settings_validation.h), as library callers
// meet it: every numeric setting refused outside its range with the setting,
// the value, the range and where it came from; suite integers that would
// wrap; method configs with unknown keys or out-of-range values (early-exit
// thresholds, batch sizes); and all of it before any data is read. Nothing
// here trains.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "run/runner.h"
#include "run/suite.h"
#include "run/suite_runner.h"
#include "settings/settings_validation.h"

using namespace greenbench;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// The message validate_settings throws for `s`, or "" when it passes.
std::string settings_error(const RunSettings& s) {
  try {
    validate_settings(s, "here");
  } catch (const SettingsError& e) {
    return e.what();
  }
  return "";
}

std::string config_error(const std::string& method, const json& config) {
  try {
    validate_method_config(method, config, "--config");
  } catch (const SettingsError& e) {
    return e.what();
  }
  return "";
}

json suite_with_settings(const json& settings) {
  return {{"name", "t"}, {"version", "1"}, {"tasks", json::array({"sst2"})}, {"settings", settings}, {"methods", {{{"method", "standard"}}}}};
}

std::string suite_error(const json& j) {
  try {
    parse_suite(j, "my-suite.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the default settings and every built-in suite's pass the validation", "[settings]") {
  CHECK(settings_error(RunSettings{}).empty());
  for (const auto& name : builtin_suite_names()) {
    INFO(name);
    RunSettings s;
    const Suite suite = load_suite(name);
    apply_suite_settings(suite.settings, s, name);
    CHECK(settings_error(s).empty());
  }
}

TEST_CASE("batch sizes, epochs, learning rates and threads outside their range are refused naming setting, value, range and origin",
          "[settings]") {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  RunSettings s;
  s.train.batch_size = 0;
  std::string e = settings_error(s);
  CHECK_THAT(e, Contains("here: batch_size (--batch-size) = 0"));
  CHECK_THAT(e, Contains("an integer in [1, 1048576]"));

  s = RunSettings{};
  s.eval_batch_size = 0;
  CHECK_THAT(settings_error(s), Contains("eval_batch_size (--eval-batch-size) = 0"));

  for (double epochs : {0.0, -1.0, nan, inf}) {
    INFO(epochs);
    s = RunSettings{};
    s.train.epochs = epochs;
    e = settings_error(s);
    CHECK_THAT(e, Contains("epochs (--epochs)"));
    CHECK_THAT(e, Contains("(0, 10000]"));
  }
  for (double lr : {nan, -0.001, 0.0}) {
    s = RunSettings{};
    s.train.learning_rate = lr;
    CHECK_THAT(settings_error(s), Contains("learning_rate (--learning-rate, --lr)"));
  }
  s = RunSettings{};
  s.threads = 10000;
  CHECK_THAT(settings_error(s), Contains("threads (--threads) = 10000: expected an integer in [1, 1024]"));
  s = RunSettings{};
  s.train.warmup_fraction = 1;
  CHECK_THAT(settings_error(s), Contains("warmup_fraction = 1: expected a finite number in [0, 1)"));
  s = RunSettings{};
  s.train.weight_decay = -0.1;
  CHECK_THAT(settings_error(s), Contains("weight_decay"));
  s = RunSettings{};
  s.pretrain.epochs = nan;
  CHECK_THAT(settings_error(s), Contains("pretrain_epochs (--pretrain-epochs)"));
  s = RunSettings{};
  s.vocab_size = 3;
  CHECK_THAT(settings_error(s), Contains("vocab_size (--vocab-size) = 3"));
  s = RunSettings{};
  s.max_len = 0;
  CHECK_THAT(settings_error(s), Contains("max_len (--max-len) = 0"));
  s = RunSettings{};
  s.num_layers = -1;
  CHECK_THAT(settings_error(s), Contains("num_layers (--num-layers, --layers) = -1"));
  s = RunSettings{};
  s.measure.latency_instances = -1;
  CHECK_THAT(settings_error(s), Contains("latency_instances (--latency-instances) = -1"));
}

TEST_CASE("an unknown model size, pooling or precision is refused with the choices", "[settings]") {
  RunSettings s;
  s.model_size = "huge";
  CHECK_THAT(settings_error(s), Contains("here: model_size (--model-size, --size): unknown model size 'huge'; known sizes: "));
  s = RunSettings{};
  s.pooling = "max";
  CHECK_THAT(settings_error(s), Contains("pooling (--pooling) = 'max': expected one of cls, mean"));
  s = RunSettings{};
  s.train.precision = "fp16";
  CHECK_THAT(settings_error(s), Contains("precision (--precision) = 'fp16': expected one of auto, fp32, bf16"));
}

TEST_CASE("more threads than cores is a warning, not an error", "[settings]") {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  if (cores < 1 || cores >= 1024) return;
  RunSettings s;
  s.threads = cores + 1;
  const auto warnings = validate_settings(s, "here");
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Contains("cores"));
  s.threads = 1;
  CHECK(validate_settings(s, "here").empty());
}

TEST_CASE("prepare_task refuses bad settings before it reads any data", "[settings]") {
  RunSettings s;
  s.data_root = "/nonexistent-greenbench-data";
  s.train.batch_size = 0;
  // Without the check first, this would be the missing-data error.
  CHECK_THROWS_AS(prepare_task("sst2", s), SettingsError);
  CHECK_THROWS_WITH(prepare_task("sst2", s), Contains("batch_size"));
}

TEST_CASE("suite settings that would wrap or leave their range are refused naming the file and key", "[settings][suite]") {
  std::string e = suite_error(suite_with_settings({{"layers", 4294967297LL}}));
  CHECK_THAT(e, Contains("my-suite.json"));
  CHECK_THAT(e, Contains("setting \"layers\" = 4294967297"));
  CHECK_THAT(e, Contains("[0, 1024]"));
  CHECK_THAT(suite_error(suite_with_settings({{"batch_size", 0}})), Contains("setting \"batch_size\" = 0"));
  CHECK_THAT(suite_error(suite_with_settings({{"eval_batch_size", 0}})), Contains("eval_batch_size"));
  CHECK_THAT(suite_error(suite_with_settings({{"threads", 10000}})), Contains("[1, 1024]"));
  CHECK_THAT(suite_error(suite_with_settings({{"epochs", 0}})), Contains("setting \"epochs\" = 0"));
  CHECK_THAT(suite_error(suite_with_settings({{"lr", -1}})), Contains("setting \"lr\" = -1"));
  CHECK_THAT(suite_error(suite_with_settings({{"max_len", 2147483648LL}})), Contains("max_len"));
  CHECK_THAT(suite_error(suite_with_settings({{"warmup_fraction", 1.5}})), Contains("warmup_fraction"));
  CHECK_THAT(suite_error(suite_with_settings({{"pretrain_seed", -1}})), Contains("pretrain_seed"));
  // search.trials is an int too.
  json j = suite_with_settings(json::object());
  j["search"] = {{"trials", 4294967297LL}, {"space", {{"lr", {{"choice", {0.001}}}}}}};
  CHECK_THAT(suite_error(j), Contains("search.trials = 4294967297"));
}

TEST_CASE("a sweep's search space is checked against the settings' ranges when the suite is read", "[settings][suite]") {
  json j = suite_with_settings(json::object());
  j["search"] = {{"trials", 2}, {"space", {{"batch_size", {{"choice", {16, 0}}}}}}};
  CHECK_THAT(suite_error(j), Contains("search.space.batch_size"));
  j["search"]["space"] = {{"lr", {{"uniform", {-0.1, 0.1}}}}};
  CHECK_THAT(suite_error(j), Contains("setting \"lr\" = -0.1"));
  j["search"]["space"] = {{"batch_size", {{"uniform", {8, 32}}}}};
  CHECK_THAT(suite_error(j), Contains("takes integers"));
  j["search"]["space"] = {{"seed", {{"int", {-5, 5}}}}};
  CHECK_THAT(suite_error(j), Contains("setting \"seed\" = -5"));
}

TEST_CASE("run_suite checks every unit's settings before the first unit reads data", "[settings][suite]") {
  const Suite suite = parse_suite(suite_with_settings(json::object()), "x");
  RunSettings base;
  base.data_root = "/nonexistent-greenbench-data";
  base.eval_batch_size = 0;
  CHECK_THROWS_AS(run_suite(suite, base, SuiteRunOptions{}), SettingsError);
}

TEST_CASE("unknown method config keys are refused with the known ones", "[settings][config]") {
  std::string e = config_error("early_exit", {{"threshold", {0.5}}});
  CHECK_THAT(e, Contains("--config: unknown key \"threshold\" for method early_exit"));
  CHECK_THAT(e, Contains("thresholds"));
  CHECK_THAT(e, Contains("entropy_thresholds"));
  // Nested objects of the defaults are checked too.
  CHECK_THAT(config_error("early_exit", {{"int8", {{"threshold", {0.5}}}}}), Contains("unknown key \"int8.threshold\""));
  CHECK_THAT(config_error("truncated", {{"layer", 2}}), Contains("known: layers, train"));
  CHECK_THAT(config_error("bow", {{"train", {{"epochs", 1}}}}), Contains("unknown key \"train\""));
  CHECK_THAT(config_error("standard", {{"train", {{"epoch", 1}}}}), Contains("unknown key \"train.epoch\""));
  // Keys every method legitimately takes.
  CHECK(config_error("early_exit", {{"thresholds", {0.0, 0.5, 1.0}}, {"exit_layers", "all"}}).empty());
  CHECK(config_error("layerdrop", {{"p", 0.5}, {"train", {{"epochs", 8}}}}).empty());
  CHECK(config_error("distill", {{"depths", {1, 2}}, {"train", {{"learning_rate", 0.001}}}}).empty());
  CHECK(config_error("bow", {{"buckets", 4096}, {"epochs", 1}}).empty());
  CHECK(config_error("prune", {{"finetune_epochs", 1}}).empty());
  CHECK_THROWS_WITH(merged_method_config("early_exit", {{"treshold", 1}}), Contains("unknown key \"treshold\""));
}

TEST_CASE("early-exit thresholds outside [0, 1] and zero batch sizes in a method config are refused", "[settings][config]") {
  for (double t : {-0.5, 1.5, 7.0}) {
    INFO(t);
    CHECK_THAT(config_error("early_exit", {{"thresholds", {0.5, t}}}), Contains("thresholds[1] = "));
    CHECK_THAT(config_error("early_exit", {{"thresholds", {0.5, t}}}), Contains("[0, 1]"));
    CHECK_THAT(config_error("early_exit", {{"entropy_thresholds", {t}}}), Contains("entropy_thresholds[0]"));
    CHECK_THAT(config_error("early_exit", {{"int8", {{"thresholds", {t}}}}}), Contains("int8.thresholds[0]"));
  }
  CHECK_THAT(config_error("early_exit", {{"patience", {-1}}}), Contains("patience[0] = -1"));
  CHECK_THAT(config_error("bow", {{"batch_size", 0}}), Contains("batch_size = 0: expected an integer in [1, 1048576]"));
  CHECK_THAT(config_error("standard", {{"train", {{"batch_size", 0}}}}), Contains("train.batch_size = 0"));
  CHECK_THAT(config_error("standard", {{"train", {{"epochs", -1}}}}), Contains("train.epochs = -1"));
  CHECK_THAT(config_error("prune", {{"importance_batch_size", 0}}), Contains("importance_batch_size = 0"));
  CHECK_THAT(config_error("truncated", {{"layers", 4294967297LL}}), Contains("layers = 4294967297"));
}

TEST_CASE("a suite's method configs and grids are checked when the suite is read", "[settings][suite][config]") {
  json j = suite_with_settings(json::object());
  j["methods"] = {{{"method", "early_exit"}, {"config", {{"threshold", {0.9}}}}}};
  std::string e = suite_error(j);
  CHECK_THAT(e, Contains("my-suite.json: methods[0].config: unknown key \"threshold\""));
  j["methods"] = {{{"method", "early_exit"}, {"grid", {{"thresholds", {{0.5}, {1.5}}}}}}};
  CHECK_THAT(suite_error(j), Contains("methods[0].grid: thresholds[0] = 1.5"));
  j["methods"] = {{{"method", "bow"}, {"config", {{"batch_size", 0}}}}};
  CHECK_THAT(suite_error(j), Contains("batch_size = 0"));
}
