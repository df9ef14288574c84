// The runner: prepares a task once (load roles, build or load the vocabulary,
// tokenize), then trains, calibrates and evaluates methods on it under the
// harness's own clock and FLOPs count, and writes one record per run.
// Implemented by concern: task_preparation.cpp, runner.cpp (settings, config
// hash, training), method_evaluation.cpp and run_record_builder.cpp (the
// operating points and the record, record/run_record.h), checkpoint_io.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "data/batching.h"
#include "data/roles.h"
#include "greenbench/bert/base_model.h"
#include "greenbench/bert/trainer.h"
#include "greenbench/bert_config.h"
#include "greenbench/method.h"
#include "greenbench/task.h"
#include "measure/carbon.h"
#include "measure/energy_meter.h"
#include "record/config_hash.h"
#include "text/wordpiece.h"
#include "train/mlm_pretraining.h"

namespace greenbench {

/// What is measured around a run and how it is priced. These change no
/// prediction, so they stay out of the config hash; the record carries them.
struct MeasureSettings {
  int latency_instances = 100;  ///< test instances timed one at a time (batch 1) per operating point
  /// Untimed passes, before the timed one, over stand-ins of the timed
  /// instances: other test instances of the same lengths (the instance itself
  /// only where no other has its length). So every input shape is seen once,
  /// as a server in steady state has, without replaying the very inputs:
  /// kernels built per shape (oneDNN's, about 1 ms a Linear here) are not
  /// timed, kernels built per activation scale still are, as in serving
  /// (suite/microbench/bench_quantized.cpp).
  int latency_warmup_passes = 1;
  std::optional<double> tdp_watts_per_core;  ///< for the energy estimate; default: see cpu_energy_estimate.h
  CarbonFactors carbon;
  nlohmann::json to_json() const;
  /// The energy meter's options under these settings.
  EnergyMeter::Options energy_options() const;
};

/// Harness-level settings shared by every run of a suite.
struct RunSettings {
  std::string data_root = "data";
  std::string results_dir = "results/runs";
  std::string cache_dir = "results/cache";  ///< learned vocabularies, keyed by what they were built from
  std::string vocab_file;                   ///< a pretrained vocab.txt; empty: learn one from train
  std::string model_size = "mini";
  int num_layers = 0;                       ///< 0: the size preset's depth
  std::string pooling = "mean";
  int max_len = 128;
  int vocab_size = 8000;
  int eval_batch_size = 32;
  int threads = 2;
  uint64_t seed = 13;
  TrainOptions train;
  /// Masked-language pretraining on the task's training text before every
  /// model that starts from an encoder (off by default; run/pretrained_encoder.h).
  PretrainOptions pretrain;
  RoleOptions roles;
  std::string suite = "adhoc";      ///< the suite a run belongs to; with its version and trial, not hashed
  std::string suite_version;
  int trial = -1;                     ///< the sweep trial, -1 outside a sweep
  nlohmann::json trial_draws;         ///< what that trial drew (already applied to these settings)
  MeasureSettings measure;

  /// Everything that can change a result (not `measure`): the config hash reads this.
  nlohmann::json to_json() const;
  /// The backbone shape for a task with `num_labels` labels and a vocabulary of `vocab` ids.
  BertConfig backbone(int num_labels, int vocab) const;
};

/// A task ready to run: its roles, tokenizer and tokenized splits.
struct PreparedTask {
  std::unique_ptr<Task> task;
  TaskData data;
  std::unique_ptr<BertTokenizer> tokenizer;
  EncodedSet train, calibration, test;
  nlohmann::json info;  ///< the record's "task" block
  /// The base model (MethodInfo::provides_base_model) trained on this task in
  /// this process, shared with methods that build on it (MethodContext::base_model).
  std::shared_ptr<struct TrainedMethod> base;
  /// The pretrained encoder, when the settings ask for one (pretrained on first use).
  std::shared_ptr<struct PretrainedEncoder> pretrained;
};

PreparedTask prepare_task(const std::string& task_name, const RunSettings& settings);

/// A trained (or loaded) method and what the record needs to know about it.
struct TrainedMethod {
  std::string name;
  nlohmann::json config;    ///< merged over the method's defaults
  std::string config_hash;  ///< of method, config, settings, task and training data
  std::unique_ptr<Method> method;
  nlohmann::json training;  ///< what train() reported, plus the harness's own clock
};

/// The config hash of a run: method, merged config, settings, task and the
/// training data's sha256. Known before training, so a finished run can be found.
std::string run_config_hash(const PreparedTask& prepared, const std::string& method_name,
                            const nlohmann::json& merged_config, const RunSettings& settings);

/// Where the record of a run goes: results_dir/<task>/<task>-<method>-<hash>-s<seed>.json
/// (record/record_path.h).
std::string record_path(const std::string& task, const std::string& method_name, const std::string& hash,
                        const RunSettings& settings);

/// Merges `config` over the method's defaults.
nlohmann::json merged_method_config(const std::string& method_name, const nlohmann::json& config);

/// The instances timed one at a time (the first `count` of a seeded shuffle
/// of the test role) and, in the same order, their warm-up stand-ins of the
/// same lengths; each collated as its own batch of one.
struct LatencySample {
  std::vector<Batch> timed, warm_up;
};
LatencySample latency_sample(const EncodedSet& test, int count, uint64_t seed);

/// Trains and calibrates one method; `config` is merged over its defaults.
TrainedMethod train_method(PreparedTask& prepared, const std::string& method_name, const nlohmann::json& config,
                           const RunSettings& settings);

/// The base model of this task and settings for methods that build on it,
/// from the method that provides it: trained on first use and kept in
/// `prepared`, then copied per caller.
BaseModel shared_base_model(PreparedTask& prepared, const RunSettings& settings);

/// Evaluates every operating point on the test role; writes and returns the
/// record. Throws, writing nothing, when the test role is empty.
nlohmann::json evaluate_method(PreparedTask& prepared, TrainedMethod& trained, const RunSettings& settings);

/// train_method, then evaluate_method.
nlohmann::json run_method(PreparedTask& prepared, const std::string& method_name, const nlohmann::json& config,
                          const RunSettings& settings);

/// Saves a trained method as a checkpoint folder (weights, vocabulary, and
/// run.json with task, method, config and settings) that `load_trained` reads,
/// then its SHA256SUMS over every file (model/checkpoint_manifest.h).
void save_trained(const PreparedTask& prepared, TrainedMethod& trained, const RunSettings& settings,
                  const std::string& dir);

/// Reads run.json from a checkpoint folder: the task name and the settings
/// to prepare it with (its vocabulary is the saved one). Like load_trained,
/// first checks every file against SHA256SUMS and throws naming one that differs.
std::pair<std::string, RunSettings> checkpoint_run_settings(const std::string& dir, const RunSettings& overrides);

/// Restores the method saved in `dir`, after checking its files against SHA256SUMS.
TrainedMethod load_trained(const std::string& dir);

}  // namespace greenbench
