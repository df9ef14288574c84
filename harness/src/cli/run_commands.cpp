#include "cli/run_commands.h"

#include <cstdio>

#include "cli/settings_options.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "model/checkpoint_manifest.h"
#include "report/task_table.h"
#include "run/suite_runner.h"
#include "settings/settings_validation.h"

namespace greenbench {
namespace {

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

// The table of a finished record and where it was written.
void print_record(const std::string& task, const nlohmann::json& record) {
  std::printf("%s", format_task_table(task, {record}, method_registry().base_model_provider().name).c_str());
  std::printf("record: %s\n", record["path"].get<std::string>().c_str());
}

class RunCommands : public CommandGroup {
 public:
  explicit RunCommands(CLI::App& app) {
    methods_ = app.add_subcommand("methods", "list the methods and baselines with their default settings");

    run_ = app.add_subcommand("run", "train, calibrate and evaluate one method on one task; write its record");
    run_->add_option("task", run_task_, "task name (see `greenbench tasks`); with --suite, only this task of the suite");
    run_->add_option("method", run_method_, "method name (see `greenbench methods`); not with --suite");
    run_->add_option("--config", run_config_, "method settings as JSON, merged over its defaults, e.g. '{\"layers\": 2}'");
    run_->add_option("--suite", run_suite_name_,
                     "run a whole suite instead (a built-in name, see `greenbench suites`, or a suite JSON file); "
                     "flags given here override its settings, finished runs are reused");
    add_settings_options(*run_, run_settings_, data_flag_);

    train_ = app.add_subcommand("train", "train and calibrate one method on one task; save it as a checkpoint folder");
    train_->add_option("task", train_task_, "task name (see `greenbench tasks`)")->required();
    train_->add_option("method", train_method_, "method name (see `greenbench methods`)")->required();
    train_->add_option("--config", train_config_, "method settings as JSON, merged over its defaults");
    train_->add_option("--out", train_out_, "checkpoint folder to write (weights, vocab.txt, run.json)")->required();
    add_settings_options(*train_, train_settings_, data_flag_);

    eval_ = app.add_subcommand("eval", "evaluate a checkpoint folder from `greenbench train` on its task; write the record");
    eval_->add_option("checkpoint", eval_dir_, "folder written by `greenbench train --out`")->required()->check(CLI::ExistingDirectory);
    add_data_option(*eval_, data_flag_);
    // The rest of its settings are the checkpoint's own (checkpoint_run_settings).
    add_setting_options(*eval_, eval_settings_, {"results", "eval_batch_size", "max_test", "threads"});
  }

  bool parsed() const override { return methods_->parsed() || run_->parsed() || train_->parsed() || eval_->parsed(); }

  std::optional<SuiteDefaults> suite_defaults() override {
    if (!run_->parsed() || run_suite_name_.empty()) return std::nullopt;
    return SuiteDefaults{run_, &run_settings_, run_suite_name_, &suite_};
  }

  int run(const std::vector<std::string>&) override {
    if (methods_->parsed()) return list_methods();
    if (run_->parsed()) return run_suite_name_.empty() ? run_one() : run_suite_command();
    if (train_->parsed()) return train();
    return eval();
  }

 private:
  int run_suite_command() {
    if (!run_method_.empty()) throw Error("run --suite runs every method of the suite; drop '" + run_method_ + "'");
    finish_settings(run_settings_, data_flag_);
    SuiteRunOptions options;
    if (!run_task_.empty()) options.tasks = {run_task_};
    const auto result = run_suite(suite_, run_settings_, options);
    std::printf("\n%zu records under %s (%d run, %d reused)\n", result.records.size(), run_settings_.results_dir.c_str(),
                result.ran, result.reused);
    return 0;
  }

  int run_one() {
    if (run_task_.empty() || run_method_.empty()) throw Error("run needs TASK and METHOD, or --suite NAME (see --help)");
    const nlohmann::json config = nlohmann::json::parse(run_config_);
    validate_method_config(run_method_, config, "--config");
    finish_settings(run_settings_, data_flag_);
    PreparedTask prepared = prepare_task(run_task_, run_settings_);
    print_record(run_task_, run_method(prepared, run_method_, config, run_settings_));
    return 0;
  }

  int train() {
    const nlohmann::json config = nlohmann::json::parse(train_config_);
    validate_method_config(train_method_, config, "--config");
    finish_settings(train_settings_, data_flag_);
    check_checkpoint_folder(train_out_);  // before minutes of training, not after
    PreparedTask prepared = prepare_task(train_task_, train_settings_);
    TrainedMethod trained = train_method(prepared, train_method_, config, train_settings_);
    save_trained(prepared, trained, train_settings_, train_out_);
    std::printf("checkpoint: %s (weights sha256 %s)\n", train_out_.c_str(),
                trained.training["checkpoint_sha256"].get<std::string>().c_str());
    return 0;
  }

  int eval() {
    auto [task_name, settings] = checkpoint_run_settings(eval_dir_, eval_settings_);
    finish_settings(settings, data_flag_);
    PreparedTask prepared = prepare_task(task_name, settings);
    TrainedMethod trained = load_trained(eval_dir_);
    print_record(task_name, evaluate_method(prepared, trained, settings));
    return 0;
  }

  CLI::App *methods_ = nullptr, *run_ = nullptr, *train_ = nullptr, *eval_ = nullptr;
  std::string data_flag_;
  RunSettings run_settings_, train_settings_, eval_settings_;
  std::string run_task_, run_method_, run_config_ = "{}", run_suite_name_;
  std::string train_task_, train_method_, train_config_ = "{}", train_out_;
  std::string eval_dir_;
  Suite suite_;
};

}  // namespace

std::unique_ptr<CommandGroup> add_run_commands(CLI::App& app) { return std::make_unique<RunCommands>(app); }

}  // namespace greenbench
