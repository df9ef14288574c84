#include "cli/results_commands.h"

#include <cstdio>

#include "cli/leaderboard_commands.h"
#include "cli/report_command.h"
#include "cli/validate_command.h"
#include "report/site_builder.h"
#include "report/upload_verdict.h"

namespace greenbench {
namespace {

class ResultsCommands : public CommandGroup {
 public:
  explicit ResultsCommands(CLI::App& app) {
    report_ = app.add_subcommand(
        "report",
        "budget-aware views of a results folder: per task, the best accuracy within each budget of FLOPs, latency and\n"
        "energy (the Pareto frontier), and expected validation performance of methods with sweep trials; tables here,\n"
        "SVG plots in --svg");
    report_->add_option("--results", report_results_, "records to read (recursively)")->capture_default_str();
    report_->add_option("--svg", report_svg_, "where the SVG plots go ('' for none)")->capture_default_str();
    report_->add_option("--task", report_task_, "only this task");
    report_->add_option("--budget", report_options_.evp_budget, "x-axis of expected validation performance: trials, hours or kwh")
        ->check(CLI::IsMember({"trials", "hours", "kwh"}))
        ->capture_default_str();
    report_->add_flag("--without-replacement", report_options_.evp_without_replacement,
                      "the unbiased estimator (trials drawn without replacement) instead of the paper's");

    leaderboard_ = add_leaderboard_commands(app);
    leaderboard_.serve->add_flag("--allow-unknown-data", serve_allow_unknown_data_,
                                 "accept records whose dataset hash is no known version of the task's data");

    auto* site = app.add_subcommand("site", "the static leaderboard site");
    site->require_subcommand(1);
    site_build_ = site->add_subcommand(
        "build", "records -> a self-contained static site (tables, Pareto plots, EVP curves, a page per run); works from\n"
                 "any static host or straight from the file system");
    site_build_->add_option("--results", site_results_, "records to read (recursively)")->capture_default_str();
    site_build_->add_option("--out", site_out_,
                            "the site folder (replaced whole: it must be new, empty or an earlier site, and never "
                            "hold records)")
        ->capture_default_str();
    site_build_->add_option("--web-dist", site_web_, "the bundled front end (built by target greenbench_web)")->capture_default_str();

    validate_ = app.add_subcommand(
        "validate",
        "check records: the schema (results/schema.json), FLOPs recomputed from each point's compute paths, headline\n"
        "metrics, a known dataset hash for the task, duplicates (task, method, config hash, seed, hardware). Huge or\n"
        "deeply nested files are refused unread.");
    validate_->add_option("records", validate_paths_, "record files, or folders searched for *.json")->required();
    validate_->add_option("--dataset-hashes", validate_hashes_, "more known data versions, as results/dataset_hashes.json lays them out");
    validate_->add_flag("--allow-unknown-data", validation_.allow_unknown_data, "an unknown dataset hash is a warning, not an error");
    validate_->add_option("--max-bytes", validation_.max_bytes, "largest record read")->capture_default_str();
  }

  bool parsed() const override {
    return report_->parsed() || leaderboard_.parsed() || site_build_->parsed() || validate_->parsed();
  }

  int run(const std::vector<std::string>&) override {
    if (leaderboard_.parsed()) return leaderboard();
    if (report_->parsed()) return report_command(report_results_, report_svg_, report_task_, report_options_);
    if (site_build_->parsed()) {
      const SiteBuild site = build_site(site_results_, site_out_, site_web_);
      for (const auto& s : site.skipped) std::fprintf(stderr, "skipped %s\n", s.c_str());
      std::printf("site: %s (%zu runs, %zu operating points); open %s/index.html\n", site_out_.c_str(), site.records,
                  site.rows, site_out_.c_str());
      return 0;
    }
    validation_.dataset_hashes = dataset_hashes_with(validate_hashes_);
    return validate_command(validate_paths_, validation_);
  }

 private:
  int leaderboard() {
    ValidationOptions options;
    options.allow_unknown_data = serve_allow_unknown_data_;
    options.max_bytes = leaderboard_.serve_args->max_bytes;
    // Each upload (and each record found at start-up) is checked like `greenbench validate`.
    auto verdict = [options](const std::string& body) { return upload_verdict(body, options); };
    const ServeArgs& serve = *leaderboard_.serve_args;
    // Its rebuilds replace the site folder whole: refused now, not at the first upload.
    if (leaderboard_.serve->parsed()) check_site_folder(serve.site_dir, serve.results_dir);
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
    return run_leaderboard_command(leaderboard_, verdict, rebuild);
  }

  CLI::App *report_ = nullptr, *site_build_ = nullptr, *validate_ = nullptr;
  LeaderboardCommands leaderboard_;
  std::string report_results_ = "results/runs", report_svg_ = "results/report", report_task_;
  LeaderboardOptions report_options_;
  bool serve_allow_unknown_data_ = false;
  std::string site_results_ = "results/runs", site_out_ = "results/site", site_web_ = default_web_dist();
  std::vector<std::string> validate_paths_;
  std::string validate_hashes_;
  ValidationOptions validation_;
};

}  // namespace

std::unique_ptr<CommandGroup> add_results_commands(CLI::App& app) { return std::make_unique<ResultsCommands>(app); }

}  // namespace greenbench
