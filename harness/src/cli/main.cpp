// greenbench: train and evaluate efficient NLP methods with their price tag.
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <tuple>
#include <vector>

#include "cli/env_command.h"
#include "cli/leaderboard_commands.h"
#include "cli/report_command.h"
#include "cli/settings_options.h"
#include "cli/validate_command.h"
#include "data/fetch.h"
#include "data/roles.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "greenbench/task.h"
#include "measure/blas_info.h"
#include "model/checkpoint_manifest.h"
#include "report/site_builder.h"
#include "report/task_table.h"
#include "report/upload_verdict.h"
#include "run/build_info.h"
#include "run/cluster_jobs.h"
#include "run/merge_records.h"
#include "run/plugin_loader.h"
#include "run/settings_validation.h"
#include "run/suite_runner.h"
#include "util/atomic_file.h"
#include "util/progress.h"

namespace greenbench {
namespace {

int list_tasks(const std::string& data_flag) {
  const std::string root = resolve_data_root(data_flag);
  std::printf("data folder: %s\n\n", root.c_str());
  std::printf("%-8s %-10s %-42s %s\n", "task", "name", "labels", "splits found");
  for (const auto& task : registered_tasks()) {
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
  if (names.empty() || (names.size() == 1 && names[0] == "all")) return task_registry().names();
  for (const auto& n : names) make_task(n);  // validates early, with the list of known tasks
  return names;
}

int list_suites() {
  std::printf("%-8s %-8s %-6s %-7s %-7s %s\n", "suite", "version", "tasks", "runs", "trials", "description");
  for (const auto& name : builtin_suite_names()) {
    const Suite s = load_suite(name);
    std::printf("%-8s %-8s %-6zu %-7zu %-7d %s\n", s.name.c_str(), s.version.c_str(), s.tasks.size(),
                s.methods.size() * s.seeds.size(), s.default_trials, s.description.c_str());
  }
  std::printf("\n(runs: per task, every method entry times every seed; trials: the sweep's default)\n");
  return 0;
}

int merge_command(const std::string& out, const std::vector<std::string>& inputs) {
  const MergeReport r = merge_records(inputs, out);
  std::printf("merged into %s: %d records copied, %d already there, %d temp files of killed writers ignored\n",
              out.c_str(), r.copied, r.already_there, r.temp_files);
  for (const auto& c : r.conflicts) std::fprintf(stderr, "conflict: %s\n", c.c_str());
  for (const auto& f : r.refused) std::fprintf(stderr, "refused: %s\n", f.c_str());
  return r.ok() ? 0 : 1;
}

// Writes `text` to `path` (atomically), or to stdout when `path` is empty.
void emit(const std::string& text, const std::string& path) {
  if (path.empty()) {
    std::fputs(text.c_str(), stdout);
    return;
  }
  write_file_atomic(path, text);
  std::filesystem::permissions(path, std::filesystem::perms::owner_exec, std::filesystem::perm_options::add);
  std::fprintf(stderr, "wrote %s\n", path.c_str());
}

// The sweep as a cluster job: this command line again, per shard.
int emit_cluster_job(const std::string& kind, int shards, const std::string& image, const std::string& out,
                     const RunSettings& s, const std::vector<std::string>& argv, const std::string& suite) {
  ShardedSweep sweep;
  sweep.suite = suite;
  sweep.shards = shards;
  sweep.cpus_per_shard = s.threads;
  sweep.args = strip_options(std::vector<std::string>(argv.begin() + 1, argv.end()),
                             {"--emit", "--shards", "--out", "--image", "--shard", "--data", "--results", "--cache",
                              "--checkpoints"});
  namespace fs = std::filesystem;
  if (kind == "slurm") {
    SlurmTarget t{fs::canonical("/proc/self/exe").string(), fs::current_path().string(),
                  fs::absolute(s.data_root).lexically_normal().string(),
                  fs::absolute(s.results_dir).lexically_normal().string()};
    fs::create_directories(t.results + "/slurm");  // sbatch does not create the log folder
    emit(slurm_array_script(sweep, t), out);
  } else if (kind == "k8s") {
    KubernetesTarget t;
    if (!image.empty()) t.image = image;
    emit(kubernetes_indexed_job(sweep, t), out);
  } else {
    throw Error("--emit " + kind + ": expected slurm or k8s");
  }
  return 0;
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
  std::string run_suite_name;
  run_cmd->add_option("task", run_task, "task name (see `greenbench tasks`); with --suite, only this task of the suite");
  run_cmd->add_option("method", run_method_name, "method name (see `greenbench methods`); not with --suite");
  run_cmd->add_option("--config", run_config, "method settings as JSON, merged over its defaults, e.g. '{\"layers\": 2}'");
  run_cmd->add_option("--suite", run_suite_name,
                      "run a whole suite instead (a built-in name, see `greenbench suites`, or a suite JSON file); "
                      "flags given here override its settings, finished runs are reused");
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
  eval_cmd->add_option("--max-test", eval_settings.roles.max_test, "subsample the test role (0: all)")
      ->check(unsigned_integer())
      ->capture_default_str();
  eval_cmd->add_option("--threads", eval_settings.threads, "threads for the BLAS")->capture_default_str();

  RunSettings bench_settings;
  std::string bench_suite = "quick", preset;
  std::vector<std::string> bench_tasks;
  auto* bench_cmd = app.add_subcommand("bench", "the main job: a suite (default quick: every method on every task), with one table per task");
  bench_cmd->add_option("--suite", bench_suite, "a built-in suite (smoke, quick, full, paper; see `greenbench suites`) or a suite JSON file")
      ->capture_default_str();
  bench_cmd->add_option("--preset", preset, "old name of --suite: quick, or large (= the full suite)");
  bench_cmd->add_option("--tasks", bench_tasks, "only these of the suite's tasks (default: all)");
  std::string bench_checkpoints, bench_site = "results/site";
  bench_cmd->add_option("--site", bench_site, "build the leaderboard site of the results folder here at the end ('' for none)")
      ->capture_default_str();
  bench_cmd->add_option("--checkpoints", bench_checkpoints,
                        "also save every trained model here, so `greenbench eval` can measure it again");
  add_settings_options(*bench_cmd, bench_settings, data_flag);

  RunSettings sweep_settings;
  std::string sweep_suite, sweep_shard = "0/1", sweep_emit, sweep_out, sweep_image, sweep_checkpoints;
  int sweep_trials = -1, sweep_shards = 2;
  std::vector<std::string> sweep_tasks;
  auto* sweep_cmd = app.add_subcommand(
      "sweep",
      "random search over a suite's declared hyperparameters and seeds; every trial runs every method of the suite\n"
      "on every task. Resumable: finished runs (by config hash) are skipped, a killed run is redone.");
  sweep_cmd->add_option("--suite", sweep_suite, "a built-in suite or a suite JSON file with a \"search\" block")->required();
  sweep_cmd->add_option("--trials", sweep_trials, "number of trials (default: the suite's search.trials); trial t is the same in every sweep")
      ->check(CLI::Range(1, 1000000));
  sweep_cmd->add_option("--shard", sweep_shard, "run only share i of N (i/N, 0-based): units are dealt round-robin")->capture_default_str();
  sweep_cmd->add_option("--tasks", sweep_tasks, "only these of the suite's tasks (default: all)");
  sweep_cmd->add_option("--checkpoints", sweep_checkpoints, "also save every trained model here");
  sweep_cmd->add_option("--emit", sweep_emit,
                        "instead of running, write a cluster job that runs the sweep in --shards shards: slurm (a job-array "
                        "script for sbatch) or k8s (an Indexed Job manifest)")
      ->check(CLI::IsMember({"slurm", "k8s"}));
  sweep_cmd->add_option("--shards", sweep_shards, "with --emit: how many array tasks")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sweep_cmd->add_option("--out", sweep_out, "with --emit: write the job here (default: stdout)");
  sweep_cmd->add_option("--image", sweep_image, "with --emit k8s: the container image (default greenbench:latest)");
  add_settings_options(*sweep_cmd, sweep_settings, data_flag);

  std::string merge_out;
  std::vector<std::string> merge_inputs;
  auto* merge_cmd = app.add_subcommand(
      "merge", "join the records of several results folders (sweep shards) into one, each run once; conflicts and "
               "files that are not records are named");
  merge_cmd->add_option("--out", merge_out, "the results folder to merge into")->required();
  merge_cmd->add_option("inputs", merge_inputs, "results folders to read (recursively)")->required()->check(CLI::ExistingDirectory);

  app.add_subcommand("suites", "list the built-in suites (suite/suites/*.json)");

  std::string report_results = "results/runs", report_svg = "results/report", report_task;
  LeaderboardOptions report_options;
  auto* report_cmd = app.add_subcommand(
      "report",
      "budget-aware views of a results folder: per task, the best accuracy within each budget of FLOPs, latency and\n"
      "energy (the Pareto frontier), and expected validation performance of methods with sweep trials; tables here,\n"
      "SVG plots in --svg");
  report_cmd->add_option("--results", report_results, "records to read (recursively)")->capture_default_str();
  report_cmd->add_option("--svg", report_svg, "where the SVG plots go ('' for none)")->capture_default_str();
  report_cmd->add_option("--task", report_task, "only this task");
  report_cmd->add_option("--budget", report_options.evp_budget, "x-axis of expected validation performance: trials, hours or kwh")
      ->check(CLI::IsMember({"trials", "hours", "kwh"}))
      ->capture_default_str();
  report_cmd->add_flag("--without-replacement", report_options.evp_without_replacement,
                       "the unbiased estimator (trials drawn without replacement) instead of the paper's");

  auto leaderboard = add_leaderboard_commands(app);
  bool serve_allow_unknown_data = false;
  leaderboard.serve->add_flag("--allow-unknown-data", serve_allow_unknown_data,
                              "accept records whose dataset hash is no known version of the task's data");

  auto* site_cmd = app.add_subcommand("site", "the static leaderboard site");
  site_cmd->require_subcommand(1);
  std::string site_results = "results/runs", site_out = "results/site", site_web = default_web_dist();
  auto* site_build_cmd = site_cmd->add_subcommand(
      "build", "records -> a self-contained static site (tables, Pareto plots, EVP curves, a page per run); works from\n"
               "any static host or straight from the file system");
  site_build_cmd->add_option("--results", site_results, "records to read (recursively)")->capture_default_str();
  site_build_cmd->add_option("--out", site_out,
                             "the site folder (replaced whole: it must be new, empty or an earlier site, and never "
                             "hold records)")
      ->capture_default_str();
  site_build_cmd->add_option("--web-dist", site_web, "the bundled front end (built by target greenbench_web)")->capture_default_str();

  std::vector<std::string> validate_paths;
  std::string validate_hashes;
  ValidationOptions validation;
  auto* validate_cmd = app.add_subcommand(
      "validate",
      "check records: the schema (results/schema.json), FLOPs recomputed from each point's compute paths, headline\n"
      "metrics, a known dataset hash for the task, duplicates (task, method, config hash, seed, hardware). Huge or\n"
      "deeply nested files are refused unread.");
  validate_cmd->add_option("records", validate_paths, "record files, or folders searched for *.json")->required();
  validate_cmd->add_option("--dataset-hashes", validate_hashes,
                           "more known data versions, as results/dataset_hashes.json lays them out");
  validate_cmd->add_flag("--allow-unknown-data", validation.allow_unknown_data,
                         "an unknown dataset hash is a warning, not an error");
  validate_cmd->add_option("--max-bytes", validation.max_bytes, "largest record read")->capture_default_str();

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
  // A suite sets the defaults; parsing again lets the flags given win. Plugins
  // load first, so a suite can name their methods.
  Suite suite;
  CLI::App* suite_cmd = nullptr;
  RunSettings* suite_settings = nullptr;
  std::string suite_name;
  if (bench_cmd->parsed()) {
    suite_cmd = bench_cmd, suite_settings = &bench_settings;
    suite_name = preset.empty() ? bench_suite : (preset == "large" ? "full" : preset);
  } else if (sweep_cmd->parsed()) {
    suite_cmd = sweep_cmd, suite_settings = &sweep_settings, suite_name = sweep_suite;
  } else if (run_cmd->parsed() && !run_suite_name.empty()) {
    suite_cmd = run_cmd, suite_settings = &run_settings, suite_name = run_suite_name;
  }
  if (suite_cmd) {
    try {
      for (const auto& path : plugins) load_plugin(path, method_registry(), task_registry());
      plugins.clear();
      suite = load_suite(suite_name);
      apply_suite_settings(suite.settings, *suite_settings, suite.source);
      app.clear();
      app.parse(argc, argv);
      // --seed replaces the suite's seeds.
      if (suite_cmd->get_option("--seed")->count() > 0) suite.seeds = {suite_settings->seed};
    } catch (const CLI::ParseError& e) {
      return app.exit(e);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "greenbench: %s\n", e.what());
      return 2;
    }
  }
  ProgressBar::set_enabled(!quiet);

  try {
    for (const auto& path : plugins) load_plugin(path, method_registry(), task_registry());
    if (tasks_cmd->parsed()) return list_tasks(data_flag);
    if (app.got_subcommand("methods")) return list_methods();
    if (app.got_subcommand("suites")) return list_suites();
    if (merge_cmd->parsed()) return merge_command(merge_out, merge_inputs);
    if (leaderboard.parsed()) {
      ValidationOptions options;
      options.allow_unknown_data = serve_allow_unknown_data;
      options.max_bytes = leaderboard.serve_args->max_bytes;
      // Each upload (and each record found at start-up) is checked like `greenbench validate`.
      auto verdict = [options](const std::string& body) { return upload_verdict(body, options); };
      const ServeArgs& serve = *leaderboard.serve_args;
      // Its rebuilds replace the site folder whole: refused now, not at the first upload.
      if (leaderboard.serve->parsed()) check_site_folder(serve.site_dir, serve.results_dir);
      auto rebuild = [serve] {
        try {
          const SiteBuild site = build_site(serve.results_dir, serve.site_dir, default_web_dist());
          // One line per rebuild, not one per file: a rebuild follows every burst of uploads.
          if (!site.skipped.empty())
            std::fprintf(stderr, "greenbench serve: the site skips %zu files that are not readable records, e.g. %s\n",
                         site.skipped.size(), site.skipped.front().c_str());
        } catch (const std::exception& e) {
          std::fprintf(stderr, "greenbench serve: the site was not rebuilt: %s\n", e.what());
        }
      };
      return run_leaderboard_command(leaderboard, verdict, rebuild);
    }
    if (report_cmd->parsed()) return report_command(report_results, report_svg, report_task, report_options);
    if (site_build_cmd->parsed()) {
      const SiteBuild site = build_site(site_results, site_out, site_web);
      for (const auto& s : site.skipped) std::fprintf(stderr, "skipped %s\n", s.c_str());
      std::printf("site: %s (%zu runs, %zu operating points); open %s/index.html\n", site_out.c_str(), site.records,
                  site.rows, site_out.c_str());
      return 0;
    }
    if (validate_cmd->parsed()) {
      validation.dataset_hashes = dataset_hashes_with(validate_hashes);
      return validate_command(validate_paths, validation);
    }
    if (env_cmd->parsed()) return print_env(env_json);
    if (run_cmd->parsed() && suite_cmd) {
      if (!run_method_name.empty()) throw Error("run --suite runs every method of the suite; drop '" + run_method_name + "'");
      finish_settings(run_settings, data_flag);
      SuiteRunOptions options;
      if (!run_task.empty()) options.tasks = {run_task};
      const auto result = run_suite(suite, run_settings, options);
      std::printf("\n%zu records under %s (%d run, %d reused)\n", result.records.size(), run_settings.results_dir.c_str(),
                  result.ran, result.reused);
      return 0;
    }
    if (run_cmd->parsed()) {
      if (run_task.empty() || run_method_name.empty()) throw Error("run needs TASK and METHOD, or --suite NAME (see --help)");
      const nlohmann::json config = nlohmann::json::parse(run_config);
      validate_method_config(run_method_name, config, "--config");
      finish_settings(run_settings, data_flag);
      PreparedTask prepared = prepare_task(run_task, run_settings);
      auto record = run_method(prepared, run_method_name, config, run_settings);
      std::printf("%s", format_task_table(run_task, {record}).c_str());
      std::printf("record: %s\n", record["path"].get<std::string>().c_str());
      return 0;
    }
    if (train_cmd->parsed()) {
      const nlohmann::json config = nlohmann::json::parse(train_config);
      validate_method_config(train_method_name, config, "--config");
      finish_settings(train_settings, data_flag);
      check_checkpoint_folder(train_out);  // before minutes of training, not after
      PreparedTask prepared = prepare_task(train_task, train_settings);
      TrainedMethod trained = train_method(prepared, train_method_name, config, train_settings);
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
      // The site replaces its folder at the end: refused before hours of runs, not after.
      if (!bench_site.empty()) check_site_folder(bench_site, bench_settings.results_dir);
      SuiteRunOptions options;
      options.tasks = bench_tasks;
      options.checkpoint_dir = bench_checkpoints;
      const auto result = run_suite(suite, bench_settings, options);
      std::printf("\n%zu records under %s (%d run, %d reused)\n", result.records.size(), bench_settings.results_dir.c_str(),
                  result.ran, result.reused);
      // The bench ends with the leaderboard site beside its records.
      if (!bench_site.empty()) {
        try {
          const SiteBuild site = build_site(bench_settings.results_dir, bench_site, default_web_dist());
          std::printf("site: %s (%zu runs); open %s/index.html or `greenbench serve`\n", bench_site.c_str(),
                      site.records, bench_site.c_str());
        } catch (const std::exception& e) {
          // The records are the result; a missing front end must not fail the bench.
          std::fprintf(stderr, "greenbench: the site was not built: %s\n", e.what());
        }
      }
      return 0;
    }
    if (sweep_cmd->parsed()) {
      finish_settings(sweep_settings, data_flag);
      if (!sweep_emit.empty()) {
        return emit_cluster_job(sweep_emit, sweep_shards, sweep_image, sweep_out, sweep_settings,
                                std::vector<std::string>(argv, argv + argc), suite.name);
      }
      SuiteRunOptions options;
      options.trials = sweep_cmd->get_option("--trials")->count() > 0 ? sweep_trials : suite.default_trials;
      if (options.trials < 1) throw Error("suite '" + suite.name + "' sets no search.trials; give --trials N");
      std::tie(options.shard_index, options.shard_count) = parse_shard(sweep_shard);
      options.tasks = sweep_tasks;
      options.checkpoint_dir = sweep_checkpoints;
      const auto result = run_suite(suite, sweep_settings, options);
      std::printf("\nsweep %s, %d trials, shard %s: %zu units, %zu records under %s (%d run, %d reused)\n",
                  suite.name.c_str(), options.trials, sweep_shard.c_str(), result.units, result.records.size(),
                  sweep_settings.results_dir.c_str(), result.ran, result.reused);
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
  } catch (const SettingsError& e) {
    // A usage error, like a bad flag: nothing was read or run.
    std::fprintf(stderr, "greenbench: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "greenbench: %s\n", e.what());
    return 1;
  }
  return 0;
}
