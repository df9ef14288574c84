// The run record, typed: what one run of one method on one task produced and
// what it cost, as greenbench writes it to <results>/<task>/<run id>.json
// (results/schema.json). The runner fills one and writes to_json(); every
// reader (tables, report, merge, the suite runner's reuse check, the
// leaderboard data) reads one with from_json() instead of looking up key
// strings.
//
// Fields a valid record may lack are std::optional and written only when set.
// Each part keeps what it does not model in `extra` (fields of other record
// versions, a hand's additions, a method's own report), so a record read and
// written again has the same keys and values: from_json then to_json is the
// identity on every record the reader check (record_reader.h) accepts.
//
// Meters: each meter's reading is kept under the meter's name (MeterReadings),
// in training, in calibration and at every operating point, and each meter's
// status under its name in efficiency.meters; a new meter needs no field here.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace greenbench {

/// Readings (or statuses) by meter name: "time", "counters", "energy", ...
using MeterReadings = std::map<std::string, nlohmann::json>;

/// "suite": which suite (and sweep trial) the run belongs to.
struct SuiteRecord {
  std::optional<std::string> name, version;
  std::optional<int> trial_index;     ///< suite.trial.index, in a sweep
  std::optional<nlohmann::json> trial_draws;  ///< suite.trial.draws: what that trial drew
  nlohmann::json extra = nlohmann::json::object();
  static SuiteRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// "method": what ran, configured how, and whose code it was.
struct MethodRecord {
  std::string name;
  std::optional<std::string> family, version, config_hash;
  std::optional<nlohmann::json> config;  ///< merged over the method's defaults
  std::optional<nlohmann::json> origin;  ///< {"kind": "built-in"} or the plugin's path and sha256
  nlohmann::json extra = nlohmann::json::object();
  static MethodRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// One role of a task's data (train, calibration, test).
struct RoleRecord {
  std::optional<std::string> split, source, sha256;
  std::optional<std::vector<std::string>> files;
  std::optional<uint64_t> examples;
  nlohmann::json extra = nlohmann::json::object();
  /// `examples` as a number, also when a hand wrote it as one with a fraction.
  std::optional<double> example_count() const;
  static RoleRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// "task": the task, its data roles and vocabulary.
struct TaskRecord {
  std::string name;
  std::optional<std::string> display_name;
  std::optional<std::vector<std::string>> labels;
  std::optional<RoleRecord> train, calibration, test;  ///< task.roles.*
  std::optional<nlohmann::json> vocab;
  std::optional<double> test_tokens_per_instance;
  nlohmann::json roles_extra = nlohmann::json::object();  ///< task.roles beyond the three roles
  bool has_roles = false;                                 ///< task.roles is there (possibly empty)
  nlohmann::json extra = nlohmann::json::object();
  static TaskRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// "training": what the method's train() and calibrate() reported (kept in
/// `extra`), with the harness's meter readings of each phase.
struct TrainingRecord {
  std::optional<MeterReadings> meters;              ///< "meters": around training
  std::optional<MeterReadings> calibration_meters;  ///< "calibration_meters": around calibration
  std::optional<double> train_and_calibrate_seconds;
  nlohmann::json extra = nlohmann::json::object();
  static TrainingRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// One operating point: its metrics over the whole test role and what it cost.
struct OperatingPointRecord {
  std::string name;
  std::optional<nlohmann::json> setting;
  double accuracy = 0;
  std::optional<double> macro_f1;
  double flops_per_instance = 0;
  /// From the time meter, the point's clock: its reading is these fields.
  std::optional<double> wall_seconds, cpu_seconds;
  std::optional<double> ms_per_instance, instances_per_second;
  /// Every other meter's reading, each under the meter's name ("energy", "counters", ...).
  MeterReadings readings;
  std::optional<nlohmann::json> flops_cross_check, exit_histogram, model;
  std::optional<nlohmann::json> latency_batch1;  ///< batch-1 latency statistics (or null)
  nlohmann::json extra = nlohmann::json::object();

  /// `meters` names the point keys that are meter readings (efficiency.meters' names).
  static OperatingPointRecord from_json(const nlohmann::json& j, const std::vector<std::string>& meters);
  nlohmann::json to_json() const;
  /// The reading of meter `name`, or null (also found in `extra`, for records that do not list their meters).
  const nlohmann::json& reading(const std::string& name) const;
  /// Median batch-1 latency in seconds, when it was measured.
  std::optional<double> latency_p50_seconds() const;
};

/// "metrics": the headline operating point's.
struct MetricsRecord {
  double accuracy = 0;
  std::optional<double> macro_f1;
  std::string operating_point;
  nlohmann::json extra = nlohmann::json::object();
  static MetricsRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// "analysis.oracle": the best any exit could do per instance.
struct OracleRecord {
  double accuracy = 0, flops_per_instance = 0;
  nlohmann::json extra = nlohmann::json::object();
  static OracleRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// "analysis": what the method's analyse() reported.
struct AnalysisRecord {
  std::optional<OracleRecord> oracle;
  nlohmann::json extra = nlohmann::json::object();
  static AnalysisRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// "efficiency.energy": the energy meter's readings per phase (objects, or null where none).
struct EnergyByPhase {
  std::optional<nlohmann::json> training, calibration, inference;
  nlohmann::json extra = nlohmann::json::object();
  static EnergyByPhase from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// "efficiency": the headline point's costs, training's, and the footprint.
struct EfficiencyRecord {
  std::optional<double> flops_per_instance;
  std::optional<std::string> flops_convention;
  std::optional<int> eval_batch_size;
  std::optional<nlohmann::json> throughput;
  std::optional<nlohmann::json> latency_batch1;  ///< an object, or null when not measured
  std::optional<double> train_and_calibrate_seconds;
  std::optional<EnergyByPhase> energy;
  std::optional<nlohmann::json> footprint;
  std::optional<MeterReadings> meters;  ///< each meter's status, under its name
  nlohmann::json extra = nlohmann::json::object();
  static EfficiencyRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// "reproducibility": seed, threads and every setting that can change a result.
struct ReproducibilityRecord {
  std::optional<uint64_t> seed;
  std::optional<int> threads, torch_intra_op_threads;
  std::optional<nlohmann::json> settings;
  nlohmann::json extra = nlohmann::json::object();
  static ReproducibilityRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
};

/// Where it ran: "software", "hardware" and "warnings", top-level keys of the record.
struct ProvenanceRecord {
  std::optional<nlohmann::json> software, hardware;
  std::optional<std::vector<std::string>> warnings;
};

struct RunRecord {
  std::optional<std::string> schema_version;
  std::string run_id;
  std::optional<std::string> created;
  std::optional<SuiteRecord> suite;  ///< also in extra as null or a bare name (schema 0.1)
  MethodRecord method;
  std::optional<nlohmann::json> model;  ///< the headline point's model shape
  TaskRecord task;
  std::optional<TrainingRecord> training;
  MetricsRecord metrics;
  std::vector<OperatingPointRecord> operating_points;
  std::optional<AnalysisRecord> analysis;
  std::optional<EfficiencyRecord> efficiency;
  std::optional<ReproducibilityRecord> reproducibility;
  std::optional<nlohmann::json> measurement_settings;
  ProvenanceRecord provenance;
  nlohmann::json extra = nlohmann::json::object();
  /// Where it was read from or written to; not part of the record.
  std::string path;

  /// Reads a record; throws greenbench::Error with the first problem
  /// (record_reader_problem) when it lacks what readers need.
  static RunRecord from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  /// The suite's name: suite.name, the bare name of schema 0.1, or null.
  nlohmann::json suite_name() const;
  /// A record of a sweep trial: its suite block names one.
  bool is_sweep_trial() const { return suite && (suite->trial_index || suite->extra.contains("trial")); }
  /// The headline operating point (metrics.operating_point), or null when none has that name.
  const OperatingPointRecord* headline() const;
  /// reproducibility.seed, threads, hardware.cpu, when recorded.
  std::optional<uint64_t> seed() const { return reproducibility ? reproducibility->seed : std::nullopt; }
  std::optional<int> threads() const { return reproducibility ? reproducibility->threads : std::nullopt; }
  std::optional<std::string> hardware_cpu() const;
  /// task.roles.test.examples, when recorded.
  std::optional<double> test_examples() const;
};

}  // namespace greenbench
