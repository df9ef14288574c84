// Assembling a run's record (run_record_builder.h).
#include "run/run_record_builder.h"

#include <ctime>
#include <filesystem>

#include "greenbench/registry.h"
#include "measure/carbon.h"
#include "measure/provenance.h"
#include "record/config_hash.h"
#include "record/record_path.h"
#include "record/schema_version.h"
#include "run/build_info.h"
#include "util/sha256.h"

namespace greenbench {
namespace {

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

SuiteRecord suite_of(const RunSettings& s) {
  SuiteRecord suite;
  suite.name = s.suite;
  suite.version = s.suite_version;
  if (s.trial >= 0) {
    suite.trial_index = s.trial;
    suite.trial_draws = s.trial_draws;
  }
  return suite;
}

// Where a method's code came from: built into this greenbench, or a plugin
// (its path and sha256, so a record names the exact library that ran).
nlohmann::json method_origin(const std::string& name) {
  const std::string& plugin = method_registry().origin(name);
  if (plugin.empty()) return {{"kind", "built-in"}};
  nlohmann::json origin = {{"kind", "plugin"}, {"path", std::filesystem::absolute(plugin).string()}};
  if (std::filesystem::exists(plugin)) origin["sha256"] = sha256_file(plugin);
  return origin;
}

// The energy meter's reading of a training phase, or null: a model loaded
// from a checkpoint written before the meters existed has none, and its
// footprint then says so instead of guessing.
nlohmann::json energy_of(const std::optional<MeterReadings>& phase) {
  if (!phase) return nullptr;
  const auto it = phase->find("energy");
  return it != phase->end() ? it->second : nlohmann::json(nullptr);
}

}  // namespace

RunRecord build_run_record(const PreparedTask& p, const TrainedMethod& t, const RunSettings& s,
                           std::vector<OperatingPointRecord> points, MeterReadings meter_statuses,
                           nlohmann::json model, nlohmann::json analysis) {
  RunRecord record;
  // A model evaluated again from its checkpoint gets a record of its own,
  // keyed by the evaluation's settings too, so it never replaces the record
  // written when it was trained.
  std::string record_key = t.config_hash;
  if (t.training.contains("loaded_from")) {
    record_key += "-eval-" + config_hash({s.to_json(), s.measure.to_json()}).substr(0, 8);
  }
  record.run_id = record_run_id(p.task->name(), t.name, record_key, s.seed);
  record.path = record_file_path(s.results_dir, p.task->name(), t.name, record_key, s.seed);
  record.schema_version = kRecordSchemaVersion;
  record.created = utc_now();
  record.suite = suite_of(s);

  record.method.name = t.name;
  record.method.family = method_registry().get(t.name).family;
  record.method.version = "1";
  record.method.config = t.config;
  record.method.config_hash = t.config_hash;
  record.method.origin = method_origin(t.name);
  record.model = std::move(model);
  record.task = TaskRecord::from_json(p.info);
  const TrainingRecord training = TrainingRecord::from_json(t.training);
  record.training = training;

  const OperatingPointRecord headline = points.back();
  record.metrics.accuracy = headline.accuracy;
  record.metrics.macro_f1 = headline.macro_f1;
  record.metrics.operating_point = headline.name;
  nlohmann::json inference_energy = nlohmann::json::array();
  for (const auto& point : points) inference_energy.push_back(point.reading("energy"));
  record.operating_points = std::move(points);
  if (analysis.is_object()) {
    record.analysis = AnalysisRecord::from_json(analysis);
  } else {
    record.extra["analysis"] = analysis;
  }

  EfficiencyRecord efficiency;
  efficiency.flops_per_instance = headline.flops_per_instance;
  efficiency.flops_convention =
      "analytic, per instance from its real length and the layers and exit heads it ran; multiply-add = 2 FLOPs; "
      "matrix products only";
  efficiency.eval_batch_size = s.eval_batch_size;
  efficiency.throughput = nlohmann::json{{"batch_size", s.eval_batch_size},
                                         {"instances_per_second", headline.instances_per_second.value_or(0.0)}};
  efficiency.latency_batch1 = headline.latency_batch1.value_or(nlohmann::json(nullptr));
  efficiency.train_and_calibrate_seconds = training.train_and_calibrate_seconds.value_or(0.0);
  EnergyByPhase energy;
  energy.training = energy_of(training.meters);
  energy.calibration = energy_of(training.calibration_meters);
  energy.inference = headline.reading("energy");
  nlohmann::json training_energy = nlohmann::json::array();
  for (const auto& phase : {*energy.training, *energy.calibration}) {
    if (!phase.is_null()) training_energy.push_back(phase);
  }
  efficiency.energy = energy;
  nlohmann::json footprint = green_ai_report(training_energy, nullptr, inference_energy, s.measure.carbon);
  footprint["training"]["note"] = "training and calibration";
  footprint["model_selection"]["reason"] =
      "one configuration per run; best-epoch selection is part of training. Sweeps report their trials together.";
  footprint["inference"]["note"] = "one full pass over the test role per operating point";
  efficiency.footprint = footprint;
  efficiency.meters = std::move(meter_statuses);
  record.efficiency = efficiency;

  ReproducibilityRecord reproducibility;
  reproducibility.seed = s.seed;
  reproducibility.threads = s.threads;
  reproducibility.torch_intra_op_threads = torch::get_num_threads();
  reproducibility.settings = s.to_json();
  record.reproducibility = reproducibility;
  record.measurement_settings = s.measure.to_json();

  const nlohmann::json machine = provenance(build_facts());
  record.provenance.software = machine["software"];
  record.provenance.hardware = machine["hardware"];
  record.provenance.warnings = machine["warnings"].get<std::vector<std::string>>();
  return record;
}

}  // namespace greenbench
