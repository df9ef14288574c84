// The runner's settings and a run's identity (its merged config and config
// hash, its record's path), and training a method under the phase meters,
// with the base model shared by the methods that build on it. Preparing
// a task, evaluating a method into its record and checkpoint folders have
// files of their own (task_preparation.cpp, method_evaluation.cpp,
// run_record_builder.cpp, checkpoint_io.cpp).
#include "run/runner.h"

#include <cstdio>

#include "greenbench/bert/base_model.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "record/record_path.h"
#include "run/phase_meters.h"
#include "run/pretrained_encoder.h"
#include "settings/hashed_settings.h"
#include "settings/settings_validation.h"

namespace greenbench {

nlohmann::json RunSettings::to_json() const {
  nlohmann::json j = {{"model_size", model_size}, {"num_layers", num_layers},           {"pooling", pooling},
          {"max_len", max_len},       {"vocab_size", vocab_size},           {"vocab_file", vocab_file},
          {"eval_batch_size", eval_batch_size}, {"threads", threads},      {"seed", seed},
          {"train", train.to_json()},
          {"roles", {{"calibration_fraction", roles.calibration_fraction}, {"seed", roles.seed},
                     {"max_train", roles.max_train}, {"max_calibration", roles.max_calibration},
                     {"max_test", roles.max_test}}}};
  // Only when used, so records made before pretraining existed keep their hashes.
  if (pretrain.enabled()) j["pretrain"] = pretrain.to_json();
  return j;
}

nlohmann::json MeasureSettings::to_json() const {
  nlohmann::json j = {{"latency_instances", latency_instances},
                      {"latency_warmup_passes", latency_warmup_passes},
                      {"carbon", carbon.to_json()}};
  j["tdp_watts_per_core"] = tdp_watts_per_core ? nlohmann::json(*tdp_watts_per_core) : nlohmann::json(nullptr);
  return j;
}

BertConfig RunSettings::backbone(int num_labels, int vocab) const {
  BertConfig c = BertConfig::preset(model_size);
  if (num_layers > 0) c.num_hidden_layers = num_layers;
  c.vocab_size = vocab;
  c.num_labels = num_labels;
  c.max_position_embeddings = std::max(max_len, 64);
  c.pooling = pooling;
  c.exit_layers = {c.num_hidden_layers - 1};
  c.validate();
  return c;
}

EnergyMeter::Options MeasureSettings::energy_options() const {
  EnergyMeter::Options options;
  options.tdp_watts_per_core = tdp_watts_per_core;
  return options;
}

nlohmann::json merged_method_config(const std::string& method_name, const nlohmann::json& config) {
  nlohmann::json merged = method_registry().get(method_name).default_config;
  validate_method_config(method_name, config, "config of method " + method_name);
  merged.merge_patch(config);
  return merged;
}

std::string run_config_hash(const PreparedTask& p, const std::string& method_name, const nlohmann::json& merged,
                            const RunSettings& s) {
  return config_hash({{"method", method_name}, {"config", merged}, {"settings", hashed_settings_json(s)},
                      {"task", p.task->name()}, {"train_sha256", p.data.train.sha256}});
}

std::string record_path(const std::string& task, const std::string& method_name, const std::string& hash,
                        const RunSettings& s) {
  return record_file_path(s.results_dir, task, method_name, hash, s.seed);
}

TrainedMethod train_method(PreparedTask& p, const std::string& method_name, const nlohmann::json& config,
                           const RunSettings& s) {
  TrainedMethod t;
  t.name = method_name;
  t.config = merged_method_config(method_name, config);
  t.method = method_registry().get(method_name).make();

  const int num_labels = static_cast<int>(p.task->label_names().size());
  TrainOptions train_options = s.train;
  train_options.progress_label = p.task->name() + " " + method_name + " train";
  MethodContext context{p.task->name(), p.train, p.calibration,
                        s.backbone(num_labels, p.tokenizer->vocab().size()), train_options, t.config, {}, {}};
  context.base_model = [&p, &s] { return shared_base_model(p, s); };
  context.initialize_encoder = [&p, &s](BertModel& encoder) { return initialize_from_pretrained(p, s, encoder); };
  t.config_hash = run_config_hash(p, method_name, t.config, s);
  PhaseMeters meters(s.measure.energy_options());
  meters.start();
  t.training = t.method->train(context);
  t.training["meters"] = meters.stop();
  meters.start();
  const nlohmann::json calibrated = t.method->calibrate(context);
  t.training["calibration_meters"] = meters.stop();
  for (const auto& [key, value] : calibrated.items()) t.training[key] = value;
  const char* clock = PhaseMeters::kClock;
  t.training["train_and_calibrate_seconds"] = t.training["meters"][clock]["wall_seconds"].get<double>() +
                                              t.training["calibration_meters"][clock]["wall_seconds"].get<double>();
  return t;
}

BaseModel shared_base_model(PreparedTask& p, const RunSettings& s) {
  const std::string& provider = method_registry().base_model_provider().name;
  const bool trained_here = !p.base;
  if (trained_here) {
    std::fprintf(stderr, "%s: training the %s model that other methods build on\n", p.task->name().c_str(),
                 provider.c_str());
    p.base = std::make_shared<TrainedMethod>(train_method(p, provider, nlohmann::json::object(), s));
  }
  BaseModel base = p.base->method->provide_base_model();
  base.provenance = {{"method", provider},
                     {"config_hash", p.base->config_hash},
                     {"record", record_path(p.task->name(), provider, p.base->config_hash, s)},
                     {"train_and_calibrate_seconds", p.base->training.value("train_and_calibrate_seconds", 0.0)},
                     {"trained_inside_this_run", trained_here},
                     {"note", trained_here ? "trained inside this run's training phase, whose meters include its cost"
                                           : "trained by an earlier run in this process; its cost is in that run's record"}};
  return base;
}

nlohmann::json run_method(PreparedTask& p, const std::string& method_name, const nlohmann::json& config,
                          const RunSettings& s) {
  TrainedMethod trained = train_method(p, method_name, config, s);
  return evaluate_method(p, trained, s);
}

}  // namespace greenbench
