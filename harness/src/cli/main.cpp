// greenbench: train and evaluate efficient NLP methods with their price tag.
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/bench.h"
#include "cli/env_command.h"
#include "cli/settings_options.h"
#include "data/fetch.h"
#include "data/roles.h"
#include "greenbench/registry.h"
#include "greenbench/task.h"
#include "measure/blas_info.h"
#include "run/build_info.h"
#include "run/plugin_loader.h"
#include "util/error.h"
#include "util/progress.h"

namespace greenbench {
namespace {

const std::vector<std::string> kAllTasks = {"ag_news", "imdb", "sst2", "snli", "mnli"};

int list_tasks(const std::string& data_flag) {
  const std::string root = resolve_data_root(data_flag);
  std::printf("data folder: %s\n\n", root.c_str());
  std::printf("%-8s %-10s %-42s %s\n", "task", "name", "labels", "splits found");
  for (const auto& task : builtin_tasks()) {
    std::string labels, found;
    for (const auto& l : task->label_names()) labels += (labels.empty() ? "" : ", ") + l;
    const std::string dir = root + "/" + task->name();
    for (const char* split : {"train", "dev", "test"}) {
      if (task->has_split(dir, split)) found += std::string(found.empty() ? "" : " ") + split;
    }
    if (found.empty()) found = "none (greenbench data fetch " + task->name() + ")";
    std::printf("%-8s %-10s %-42s %s\n", task->name().c_str(), task->display_name().c_str(), labels.c_str(), found.c_str());
  }
  return 0;
}

int list_methods() {
  std::printf("%-12s %-9s %s\n", "method", "family", "description");
  for (const auto& m : method_registry().all()) {
    std::printf("%-12s %-9s %s\n", m.name.c_str(), m.family.c_str(), m.description.c_str());
    std::printf("%-12s %-9s defaults: %s\n", "", "", m.default_config.dump().c_str());
    const std::string& origin = method_registry().origin(m.name);
    if (!origin.empty()) std::printf("%-12s %-9s from plugin: %s\n", "", "", origin.c_str());
  }
  return 0;
}

std::vector<std::string> expand_tasks(const std::vector<std::string>& names) {
  if (names.empty() || (names.size() == 1 && names[0] == "all")) return kAllTasks;
  for (const auto& n : names) make_task(n);  // validates early, with the list of known tasks
  return names;
}

}  // namespace
}  // namespace greenbench

int main(int argc, char** argv) {
  using namespace greenbench;
  ensure_fast_openblas(argv);

  CLI::App app{
      "greenbench: train and evaluate efficient NLP methods (early exit, truncated models, ...) and report\n"
      "accuracy with its price tag: FLOPs, time and, where the machine allows, energy.\n"};
  app.require_subcommand(1);
  app.set_version_flag("--version", build_info().version + " (" + build_info().git_commit.substr(0, 12) + ")");
  bool quiet = false;
  app.add_flag("-q,--quiet", quiet, "no progress bars");
  std::vector<std::string> plugins;
  app.add_option("--plugin", plugins,
                 "load the methods of a plugin (a .so built against this greenbench's installed package; see "
                 "docs/submit-a-method.md) before the subcommand runs; repeatable")
      ->type_name("PATH")
      ->allow_extra_args(false);
  // So that `greenbench run TASK METHOD --plugin PATH` works as well as `greenbench --plugin PATH run ...`.
  app.fallthrough();

  std::string data_flag;
  auto* tasks_cmd = app.add_subcommand("tasks", "list the tasks and which of their splits the data folder has");
  tasks_cmd->add_option("--data", data_flag, "data folder (default: $GREENBENCH_DATA, else ./data)");

  app.add_subcommand("methods", "list the methods and baselines with their default settings");

  RunSettings run_settings;
  std::string run_task, run_method_name, run_config = "{}";
  auto* run_cmd = app.add_subcommand("run", "train, calibrate and evaluate one method on one task; write its record");
  run_cmd->add_option("task", run_task, "task name (see `greenbench tasks`)")->required();
  run_cmd->add_option("method", run_method_name, "method name (see `greenbench methods`)")->required();
  run_cmd->add_option("--config", run_config, "method settings as JSON, merged over its defaults, e.g. '{\"layers\": 2}'");
  add_settings_options(*run_cmd, run_settings, data_flag);

  RunSettings train_settings;
  std::string train_task, train_method_name, train_config = "{}", train_out;
  auto* train_cmd = app.add_subcommand("train", "train and calibrate one method on one task; save it as a checkpoint folder");
  train_cmd->add_option("task", train_task, "task name (see `greenbench tasks`)")->required();
  train_cmd->add_option("method", train_method_name, "method name (see `greenbench methods`)")->required();
  train_cmd->add_option("--config", train_config, "method settings as JSON, merged over its defaults");
  train_cmd->add_option("--out", train_out, "checkpoint folder to write (weights, vocab.txt, run.json)")->required();
  add_settings_options(*train_cmd, train_settings, data_flag);

  RunSettings eval_settings;
  std::string eval_dir;
  auto* eval_cmd = app.add_subcommand("eval", "evaluate a checkpoint folder from `greenbench train` on its task; write the record");
  eval_cmd->add_option("checkpoint", eval_dir, "folder written by `greenbench train --out`")->required()->check(CLI::ExistingDirectory);
  eval_cmd->add_option("--data", data_flag, "data folder (default: $GREENBENCH_DATA, else ./data)");
  eval_cmd->add_option("--results", eval_settings.results_dir, "where the record is written")->capture_default_str();
  eval_cmd->add_option("--eval-batch-size", eval_settings.eval_batch_size, "batch size for evaluation")->capture_default_str();
  eval_cmd->add_option("--max-test", eval_settings.roles.max_test, "subsample the test role (0: all)")->capture_default_str();
  eval_cmd->add_option("--threads", eval_settings.threads, "threads for the BLAS")->capture_default_str();

  RunSettings bench_settings;
  std::string preset = "quick";
  std::vector<std::string> bench_tasks;
  auto* bench_cmd = app.add_subcommand("bench", "the main job: standard, early exit, truncated and the efficient baselines on every task, with tables");
  bench_cmd->add_option("--preset", preset, "quick (about 30 min on 2 cores) or large (all training data, hours)")
      ->capture_default_str();
  bench_cmd->add_option("--tasks", bench_tasks, "tasks to run (default: all five)");
  std::string bench_checkpoints;
  bench_cmd->add_option("--checkpoints", bench_checkpoints,
                        "also save every trained model here, so `greenbench eval` can measure it again");
  add_settings_options(*bench_cmd, bench_settings, data_flag);

  auto* data_cmd = app.add_subcommand("data", "manage datasets");
  data_cmd->require_subcommand(1);
  std::string fetch_task;
  auto* fetch_cmd = data_cmd->add_subcommand("fetch", "download a task's canonical archives, check sha256, unpack");
  fetch_cmd->add_option("task", fetch_task, "task name, or 'all'")->required();
  fetch_cmd->add_option("--data", data_flag, "data folder (default: $GREENBENCH_DATA, else ./data)");

  auto* env_cmd = app.add_subcommand(
      "env", "show the machine, build, LibTorch and BLAS a record would carry, and what can be measured here and why not");
  bool env_json = false;
  env_cmd->add_flag("--json", env_json, "print one JSON object");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (bench_cmd->parsed()) {
    // The preset sets the defaults; parsing again lets the flags given win.
    try {
      apply_bench_preset(preset, bench_settings);
      app.clear();
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return app.exit(e);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "greenbench: %s\n", e.what());
      return 2;
    }
  }
  ProgressBar::set_enabled(!quiet);

  try {
    for (const auto& path : plugins) load_plugin(path, method_registry());
    if (tasks_cmd->parsed()) return list_tasks(data_flag);
    if (app.got_subcommand("methods")) return list_methods();
    if (env_cmd->parsed()) return print_env(env_json);
    if (run_cmd->parsed()) {
      finish_settings(run_settings, data_flag);
      PreparedTask prepared = prepare_task(run_task, run_settings);
      auto record = run_method(prepared, run_method_name, nlohmann::json::parse(run_config), run_settings);
      std::printf("%s", format_task_table(run_task, {record}).c_str());
      std::printf("record: %s\n", record["path"].get<std::string>().c_str());
      return 0;
    }
    if (train_cmd->parsed()) {
      finish_settings(train_settings, data_flag);
      PreparedTask prepared = prepare_task(train_task, train_settings);
      TrainedMethod trained = train_method(prepared, train_method_name, nlohmann::json::parse(train_config), train_settings);
      save_trained(prepared, trained, train_settings, train_out);
      std::printf("checkpoint: %s (weights sha256 %s)\n", train_out.c_str(),
                  trained.training["checkpoint_sha256"].get<std::string>().c_str());
      return 0;
    }
    if (eval_cmd->parsed()) {
      auto [task_name, settings] = checkpoint_run_settings(eval_dir, eval_settings);
      finish_settings(settings, data_flag);
      PreparedTask prepared = prepare_task(task_name, settings);
      TrainedMethod trained = load_trained(eval_dir);
      auto record = evaluate_method(prepared, trained, settings);
      std::printf("%s", format_task_table(task_name, {record}).c_str());
      std::printf("record: %s\n", record["path"].get<std::string>().c_str());
      return 0;
    }
    if (bench_cmd->parsed()) {
      finish_settings(bench_settings, data_flag);
      auto records = run_bench(expand_tasks(bench_tasks), bench_settings, bench_checkpoints);
      std::printf("\n%zu records written under %s\n", records.size(), bench_settings.results_dir.c_str());
      return 0;
    }
    if (fetch_cmd->parsed()) {
      const std::string root = resolve_data_root(data_flag);
      for (const auto& name : expand_tasks({fetch_task})) fetch_task_data(*make_task(name), root, FetchOptions{});
      return 0;
    }
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "greenbench: bad JSON: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "greenbench: %s\n", e.what());
    return 1;
  }
  return 0;
}
