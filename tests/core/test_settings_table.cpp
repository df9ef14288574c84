// The settings table (settings/settings_table.cpp) as the rest of the harness
// reads it: names and flags that never clash, a range for every number a
// user can give, the method-config "train" keys read off it, the hashed
// settings equal to the JSON records have always carried, and the hash
// scheme's version. Nothing here trains.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "run/runner.h"
#include "run/suite.h"
#include "settings/hashed_settings.h"
#include "settings/settings_table.h"
#include "settings/settings_validation.h"

using namespace greenbench;
using Catch::Matchers::Contains;
using nlohmann::json;

TEST_CASE("every setting answers to names and flags no other setting has", "[settings][table]") {
  std::set<std::string> names, flags;
  for (const auto& row : settings_table()) {
    INFO(row.name);
    CHECK(names.insert(row.name).second);
    for (const auto& old : row.old_names) CHECK(names.insert(old).second);
    CHECK(find_setting(row.name) == &row);
    for (const auto& old : row.old_names) CHECK(find_setting(old) == &row);
    std::string all = row.flags() + ",";
    for (size_t comma; (comma = all.find(',')) != std::string::npos; all.erase(0, comma + 1)) CHECK(flags.insert(all.substr(0, comma)).second);
    CHECK(!row.help.empty());
    CHECK(!row.meaning.empty());
  }
  CHECK(find_setting("lr")->name == "learning_rate");
  CHECK(find_setting("lr")->flags() == "--learning-rate,--lr");
  CHECK(find_setting("no_such_setting") == nullptr);
}

TEST_CASE("every number a user can give has a range that holds its default", "[settings][table]") {
  const RunSettings defaults;
  for (const auto& row : settings_table()) {
    INFO(row.name);
    const bool is_number = row.number(defaults).has_value() || row.name == "tdp_watts_per_core";
    if (is_number && row.given_by != GivenBy::nobody) CHECK(row.range.has_value());
    if (row.range && row.number(defaults)) CHECK(row.range->contains(*row.number(defaults)));
  }
  CHECK(validate_settings(defaults, "defaults").size() <= 1);  // at most the threads warning
}

TEST_CASE("a method config's train keys are the settings hashed under /train/", "[settings][table]") {
  // Every key TrainOptions writes (but the fixed facts) is accepted, with its range.
  const json written = TrainOptions{}.to_json();
  for (const auto& [key, value] : written.items()) {
    if (key == "optimizer" || key == "schedule") continue;
    INFO(key);
    CHECK_NOTHROW(validate_method_config("standard", {{"train", {{key, value}}}}, "--config"));
  }
  CHECK_NOTHROW(validate_method_config("standard", {{"train", {{"layerdrop", 0.2}}}}, "--config"));
  CHECK_THROWS_WITH(validate_method_config("standard", {{"train", {{"learning_rate", 2}}}}, "--config"),
                    Contains("train.learning_rate = 2"));
  CHECK_THROWS_WITH(validate_method_config("standard", {{"train", {{"optimizer", "sgd"}}}}, "--config"),
                    Contains("unknown key \"train.optimizer\""));
}

TEST_CASE("the hashed settings are the JSON RunSettings::to_json has always written", "[settings][hash]") {
  std::vector<RunSettings> cases(6);
  apply_suite_settings(load_suite("smoke").settings, cases[1], "smoke");
  apply_suite_settings(load_suite("quick").settings, cases[2], "quick");
  cases[2].seed = cases[2].train.seed = cases[2].roles.seed = 99;
  cases[3].pretrain.epochs = 0.5;  // pretraining adds its block
  cases[3].pretrain.mask_probability = 0.2;
  cases[4].train.layerdrop = 0.3;  // LayerDrop adds its key
  cases[4].train.exit_loss_weights = {1, 2, 3};
  cases[4].train.select_best_epoch = false;
  cases[4].vocab_file = "v.txt";
  cases[5].measure.latency_instances = 1;  // measurement is not hashed
  cases[5].measure.tdp_watts_per_core = 7;
  cases[5].results_dir = "elsewhere";
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i);
    CHECK(hashed_settings_json(cases[i]).dump() == cases[i].to_json().dump());
  }
  CHECK(hashed_settings_json(cases[5]) == hashed_settings_json(cases[0]));
}

TEST_CASE("the config hash scheme is versioned and old records read as scheme 1", "[settings][hash]") {
  CHECK(kConfigHashScheme == 1);
  CHECK(config_hash_scheme_of(json{{"run_id", "x"}}) == 1);
  CHECK(config_hash_scheme_of(json{{"config_hash_scheme", 2}}) == 2);
}
