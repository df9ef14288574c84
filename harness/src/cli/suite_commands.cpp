#include "cli/suite_commands.h"

#include <cstdio>
#include <filesystem>
#include <tuple>

#include "cli/settings_options.h"
#include "greenbench/error.h"
#include "report/site_builder.h"
#include "run/cluster_jobs.h"
#include "run/merge_records.h"
#include "run/suite_runner.h"
#include "util/atomic_file.h"

namespace greenbench {
namespace {

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

class SuiteCommands : public CommandGroup {
 public:
  explicit SuiteCommands(CLI::App& app) {
    bench_ = app.add_subcommand("bench", "the main job: a suite (default quick: every method on every task), with one table per task");
    bench_->add_option("--suite", bench_suite_, "a built-in suite (smoke, quick, full, paper; see `greenbench suites`) or a suite JSON file")
        ->capture_default_str();
    bench_->add_option("--preset", preset_, "old name of --suite: quick, or large (= the full suite)");
    bench_->add_option("--tasks", bench_tasks_, "only these of the suite's tasks (default: all)");
    bench_->add_option("--site", bench_site_, "build the leaderboard site of the results folder here at the end ('' for none)")
        ->capture_default_str();
    bench_->add_option("--checkpoints", bench_checkpoints_,
                       "also save every trained model here, so `greenbench eval` can measure it again");
    add_settings_options(*bench_, bench_settings_, data_flag_);

    sweep_ = app.add_subcommand(
        "sweep",
        "random search over a suite's declared hyperparameters and seeds; every trial runs every method of the suite\n"
        "on every task. Resumable: finished runs (by config hash) are skipped, a killed run is redone.");
    sweep_->add_option("--suite", sweep_suite_, "a built-in suite or a suite JSON file with a \"search\" block")->required();
    sweep_->add_option("--trials", sweep_trials_, "number of trials (default: the suite's search.trials); trial t is the same in every sweep")
        ->check(CLI::Range(1, 1000000));
    sweep_->add_option("--shard", sweep_shard_, "run only share i of N (i/N, 0-based): units are dealt round-robin")->capture_default_str();
    sweep_->add_option("--tasks", sweep_tasks_, "only these of the suite's tasks (default: all)");
    sweep_->add_option("--checkpoints", sweep_checkpoints_, "also save every trained model here");
    sweep_->add_option("--emit", sweep_emit_,
                       "instead of running, write a cluster job that runs the sweep in --shards shards: slurm (a job-array "
                       "script for sbatch) or k8s (an Indexed Job manifest)")
        ->check(CLI::IsMember({"slurm", "k8s"}));
    sweep_->add_option("--shards", sweep_shards_, "with --emit: how many array tasks")->check(CLI::Range(1, 100000))->capture_default_str();
    sweep_->add_option("--out", sweep_out_, "with --emit: write the job here (default: stdout)");
    sweep_->add_option("--image", sweep_image_, "with --emit k8s: the container image (default greenbench:latest)");
    add_settings_options(*sweep_, sweep_settings_, data_flag_);

    merge_ = app.add_subcommand(
        "merge", "join the records of several results folders (sweep shards) into one, each run once; conflicts and "
                 "files that are not records are named");
    merge_->add_option("--out", merge_out_, "the results folder to merge into")->required();
    merge_->add_option("inputs", merge_inputs_, "results folders to read (recursively)")->required()->check(CLI::ExistingDirectory);

    suites_ = app.add_subcommand("suites", "list the built-in suites (suite/suites/*.json)");
  }

  bool parsed() const override { return bench_->parsed() || sweep_->parsed() || merge_->parsed() || suites_->parsed(); }

  std::optional<SuiteDefaults> suite_defaults() override {
    if (bench_->parsed())
      return SuiteDefaults{bench_, &bench_settings_, preset_.empty() ? bench_suite_ : (preset_ == "large" ? "full" : preset_), &suite_};
    if (sweep_->parsed()) return SuiteDefaults{sweep_, &sweep_settings_, sweep_suite_, &suite_};
    return std::nullopt;
  }

  int run(const std::vector<std::string>& argv) override {
    if (suites_->parsed()) return list_suites();
    if (merge_->parsed()) return merge_command(merge_out_, merge_inputs_);
    if (bench_->parsed()) return bench();
    return sweep(argv);
  }

 private:
  int bench() {
    finish_settings(bench_settings_, data_flag_);
    // The site replaces its folder at the end: refused before hours of runs, not after.
    if (!bench_site_.empty()) check_site_folder(bench_site_, bench_settings_.results_dir);
    SuiteRunOptions options;
    options.tasks = bench_tasks_;
    options.checkpoint_dir = bench_checkpoints_;
    const auto result = run_suite(suite_, bench_settings_, options);
    std::printf("\n%zu records under %s (%d run, %d reused)\n", result.records.size(), bench_settings_.results_dir.c_str(),
                result.ran, result.reused);
    // The bench ends with the leaderboard site beside its records.
    if (!bench_site_.empty()) {
      try {
        const SiteBuild site = build_site(bench_settings_.results_dir, bench_site_, default_web_dist());
        std::printf("site: %s (%zu runs); open %s/index.html or `greenbench serve`\n", bench_site_.c_str(), site.records,
                    bench_site_.c_str());
      } catch (const std::exception& e) {
        // The records are the result; a missing front end must not fail the bench.
        std::fprintf(stderr, "greenbench: the site was not built: %s\n", e.what());
      }
    }
    return 0;
  }

  int sweep(const std::vector<std::string>& argv) {
    finish_settings(sweep_settings_, data_flag_);
    if (!sweep_emit_.empty()) return emit_cluster_job(sweep_emit_, sweep_shards_, sweep_image_, sweep_out_, sweep_settings_, argv, suite_.name);
    SuiteRunOptions options;
    options.trials = sweep_->get_option("--trials")->count() > 0 ? sweep_trials_ : suite_.default_trials;
    if (options.trials < 1) throw Error("suite '" + suite_.name + "' sets no search.trials; give --trials N");
    std::tie(options.shard_index, options.shard_count) = parse_shard(sweep_shard_);
    options.tasks = sweep_tasks_;
    options.checkpoint_dir = sweep_checkpoints_;
    const auto result = run_suite(suite_, sweep_settings_, options);
    std::printf("\nsweep %s, %d trials, shard %s: %zu units, %zu records under %s (%d run, %d reused)\n", suite_.name.c_str(),
                options.trials, sweep_shard_.c_str(), result.units, result.records.size(), sweep_settings_.results_dir.c_str(),
                result.ran, result.reused);
    return 0;
  }

  CLI::App *bench_ = nullptr, *sweep_ = nullptr, *merge_ = nullptr, *suites_ = nullptr;
  std::string data_flag_;
  RunSettings bench_settings_, sweep_settings_;
  std::string bench_suite_ = "quick", preset_, bench_checkpoints_, bench_site_ = "results/site";
  std::vector<std::string> bench_tasks_;
  std::string sweep_suite_, sweep_shard_ = "0/1", sweep_emit_, sweep_out_, sweep_image_, sweep_checkpoints_;
  int sweep_trials_ = -1, sweep_shards_ = 2;
  std::vector<std::string> sweep_tasks_;
  std::string merge_out_;
  std::vector<std::string> merge_inputs_;
  Suite suite_;
};

}  // namespace

std::unique_ptr<CommandGroup> add_suite_commands(CLI::App& app) { return std::make_unique<SuiteCommands>(app); }

}  // namespace greenbench
