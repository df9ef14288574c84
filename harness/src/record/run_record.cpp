// The run record to and from JSON (run_record.h). Every part reads its
// fields with record_json's take(): a field there with another type than the
// struct's stays in `extra`, untouched, and is written back as it was.
#include "record/run_record.h"

#include "greenbench/error.h"
#include "record/record_json.h"
#include "record/record_reader.h"

namespace greenbench {

using nlohmann::json;
using namespace record_json;

SuiteRecord SuiteRecord::from_json(const json& j) {
  SuiteRecord s;
  json rest = object_or_empty(j);
  take(rest, "name", s.name);
  take(rest, "version", s.version);
  if (const auto it = rest.find("trial"); it != rest.end() && it->is_object()) {
    json trial = *it;
    std::optional<int> index;
    std::optional<json> draws;
    take(trial, "index", index);
    take_any(trial, "draws", draws);
    // Typed only when it is just these two; anything else stays as written.
    if (index && trial.empty()) {
      s.trial_index = index;
      s.trial_draws = draws;
      rest.erase("trial");
    }
  }
  s.extra = std::move(rest);
  return s;
}

json SuiteRecord::to_json() const {
  json j = extra;
  put(j, "name", name);
  put(j, "version", version);
  if (trial_index) {
    j["trial"] = {{"index", *trial_index}};
    if (trial_draws) j["trial"]["draws"] = *trial_draws;
  }
  return j;
}

MethodRecord MethodRecord::from_json(const json& j) {
  MethodRecord m;
  json rest = object_or_empty(j);
  take(rest, "name", m.name);
  take(rest, "family", m.family);
  take(rest, "version", m.version);
  take(rest, "config_hash", m.config_hash);
  take_object(rest, "config", m.config);
  take_object(rest, "origin", m.origin);
  m.extra = std::move(rest);
  return m;
}

json MethodRecord::to_json() const {
  json j = extra;
  j["name"] = name;
  put(j, "family", family);
  put(j, "version", version);
  put(j, "config", config);
  put(j, "config_hash", config_hash);
  put(j, "origin", origin);
  return j;
}

std::optional<double> RoleRecord::example_count() const {
  if (examples) return static_cast<double>(*examples);
  if (extra.contains("examples") && extra["examples"].is_number()) return extra["examples"].get<double>();
  return std::nullopt;
}

RoleRecord RoleRecord::from_json(const json& j) {
  RoleRecord r;
  json rest = object_or_empty(j);
  take(rest, "split", r.split);
  take(rest, "source", r.source);
  take(rest, "sha256", r.sha256);
  take(rest, "files", r.files);
  take(rest, "examples", r.examples);
  r.extra = std::move(rest);
  return r;
}

json RoleRecord::to_json() const {
  json j = extra;
  put(j, "split", split);
  put(j, "source", source);
  put(j, "files", files);
  put(j, "sha256", sha256);
  put(j, "examples", examples);
  return j;
}

TaskRecord TaskRecord::from_json(const json& j) {
  TaskRecord t;
  json rest = object_or_empty(j);
  take(rest, "name", t.name);
  take(rest, "display_name", t.display_name);
  take(rest, "labels", t.labels);
  take_any(rest, "vocab", t.vocab);
  take(rest, "test_tokens_per_instance", t.test_tokens_per_instance);
  if (const auto it = rest.find("roles"); it != rest.end() && it->is_object()) {
    json roles = *it;
    take_struct(roles, "train", t.train);
    take_struct(roles, "calibration", t.calibration);
    take_struct(roles, "test", t.test);
    t.roles_extra = std::move(roles);
    t.has_roles = true;
    rest.erase("roles");
  }
  t.extra = std::move(rest);
  return t;
}

json TaskRecord::to_json() const {
  json j = extra;
  j["name"] = name;
  put(j, "display_name", display_name);
  put(j, "labels", labels);
  if (has_roles || train || calibration || test) {
    json roles = roles_extra;
    put_struct(roles, "train", train);
    put_struct(roles, "calibration", calibration);
    put_struct(roles, "test", test);
    j["roles"] = roles;
  }
  put(j, "vocab", vocab);
  put(j, "test_tokens_per_instance", test_tokens_per_instance);
  return j;
}

TrainingRecord TrainingRecord::from_json(const json& j) {
  TrainingRecord t;
  json rest = object_or_empty(j);
  take_objects(rest, "meters", t.meters);
  take_objects(rest, "calibration_meters", t.calibration_meters);
  take(rest, "train_and_calibrate_seconds", t.train_and_calibrate_seconds);
  t.extra = std::move(rest);
  return t;
}

json TrainingRecord::to_json() const {
  json j = extra;
  put(j, "meters", meters);
  put(j, "calibration_meters", calibration_meters);
  put(j, "train_and_calibrate_seconds", train_and_calibrate_seconds);
  return j;
}

OperatingPointRecord OperatingPointRecord::from_json(const json& j, const std::vector<std::string>& meters) {
  OperatingPointRecord p;
  json rest = object_or_empty(j);
  take(rest, "name", p.name);
  take_any(rest, "setting", p.setting);
  take(rest, "accuracy", p.accuracy);
  take(rest, "macro_f1", p.macro_f1);
  take(rest, "flops_per_instance", p.flops_per_instance);
  take(rest, "wall_seconds", p.wall_seconds);
  take(rest, "cpu_seconds", p.cpu_seconds);
  take(rest, "ms_per_instance", p.ms_per_instance);
  take(rest, "instances_per_second", p.instances_per_second);
  for (const auto& meter : meters) {
    json reading;
    if (take_any(rest, meter.c_str(), reading)) p.readings[meter] = std::move(reading);
  }
  take_any(rest, "flops_cross_check", p.flops_cross_check);
  take_any(rest, "exit_histogram", p.exit_histogram);
  take_any(rest, "model", p.model);
  take_any(rest, "latency_batch1", p.latency_batch1);
  p.extra = std::move(rest);
  return p;
}

json OperatingPointRecord::to_json() const {
  json j = extra;
  j["name"] = name;
  put(j, "setting", setting);
  j["accuracy"] = accuracy;
  put(j, "macro_f1", macro_f1);
  j["flops_per_instance"] = flops_per_instance;
  put(j, "wall_seconds", wall_seconds);
  put(j, "cpu_seconds", cpu_seconds);
  put(j, "ms_per_instance", ms_per_instance);
  put(j, "instances_per_second", instances_per_second);
  for (const auto& [meter, reading] : readings) j[meter] = reading;
  put(j, "flops_cross_check", flops_cross_check);
  put(j, "exit_histogram", exit_histogram);
  put(j, "model", model);
  put(j, "latency_batch1", latency_batch1);
  return j;
}

const json& OperatingPointRecord::reading(const std::string& name) const {
  static const json absent;
  if (const auto it = readings.find(name); it != readings.end()) return it->second;
  if (const auto it = extra.find(name); it != extra.end()) return *it;
  return absent;
}

std::optional<double> OperatingPointRecord::latency_p50_seconds() const {
  if (!latency_batch1 || !latency_batch1->is_object()) return std::nullopt;
  const auto it = latency_batch1->find("p50_seconds");
  if (it == latency_batch1->end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

MetricsRecord MetricsRecord::from_json(const json& j) {
  MetricsRecord m;
  json rest = object_or_empty(j);
  take(rest, "accuracy", m.accuracy);
  take(rest, "macro_f1", m.macro_f1);
  take(rest, "operating_point", m.operating_point);
  m.extra = std::move(rest);
  return m;
}

json MetricsRecord::to_json() const {
  json j = extra;
  j["accuracy"] = accuracy;
  put(j, "macro_f1", macro_f1);
  j["operating_point"] = operating_point;
  return j;
}

OracleRecord OracleRecord::from_json(const json& j) {
  OracleRecord o;
  json rest = object_or_empty(j);
  take(rest, "accuracy", o.accuracy);
  take(rest, "flops_per_instance", o.flops_per_instance);
  o.extra = std::move(rest);
  return o;
}

json OracleRecord::to_json() const {
  json j = extra;
  j["accuracy"] = accuracy;
  j["flops_per_instance"] = flops_per_instance;
  return j;
}

AnalysisRecord AnalysisRecord::from_json(const json& j) {
  AnalysisRecord a;
  json rest = object_or_empty(j);
  take_struct(rest, "oracle", a.oracle);
  a.extra = std::move(rest);
  return a;
}

json AnalysisRecord::to_json() const {
  json j = extra;
  put_struct(j, "oracle", oracle);
  return j;
}

EnergyByPhase EnergyByPhase::from_json(const json& j) {
  EnergyByPhase e;
  json rest = object_or_empty(j);
  take_any(rest, "training", e.training);
  take_any(rest, "calibration", e.calibration);
  take_any(rest, "inference", e.inference);
  e.extra = std::move(rest);
  return e;
}

json EnergyByPhase::to_json() const {
  json j = extra;
  put(j, "training", training);
  put(j, "calibration", calibration);
  put(j, "inference", inference);
  return j;
}

EfficiencyRecord EfficiencyRecord::from_json(const json& j) {
  EfficiencyRecord e;
  json rest = object_or_empty(j);
  take(rest, "flops_per_instance", e.flops_per_instance);
  take(rest, "flops_convention", e.flops_convention);
  take(rest, "eval_batch_size", e.eval_batch_size);
  take_any(rest, "throughput", e.throughput);
  take_any(rest, "latency_batch1", e.latency_batch1);
  take(rest, "train_and_calibrate_seconds", e.train_and_calibrate_seconds);
  take_struct(rest, "energy", e.energy);
  take_any(rest, "footprint", e.footprint);
  take_objects(rest, "meters", e.meters);
  e.extra = std::move(rest);
  return e;
}

json EfficiencyRecord::to_json() const {
  json j = extra;
  put(j, "flops_per_instance", flops_per_instance);
  put(j, "flops_convention", flops_convention);
  put(j, "eval_batch_size", eval_batch_size);
  put(j, "throughput", throughput);
  put(j, "latency_batch1", latency_batch1);
  put(j, "train_and_calibrate_seconds", train_and_calibrate_seconds);
  put_struct(j, "energy", energy);
  put(j, "footprint", footprint);
  put(j, "meters", meters);
  return j;
}

ReproducibilityRecord ReproducibilityRecord::from_json(const json& j) {
  ReproducibilityRecord r;
  json rest = object_or_empty(j);
  take(rest, "seed", r.seed);
  take(rest, "threads", r.threads);
  take(rest, "torch_intra_op_threads", r.torch_intra_op_threads);
  take_any(rest, "settings", r.settings);
  r.extra = std::move(rest);
  return r;
}

json ReproducibilityRecord::to_json() const {
  json j = extra;
  put(j, "seed", seed);
  put(j, "threads", threads);
  put(j, "torch_intra_op_threads", torch_intra_op_threads);
  put(j, "settings", settings);
  return j;
}

RunRecord RunRecord::from_json(const json& j) {
  if (const std::string problem = record_reader_problem(j); !problem.empty()) throw Error("not a readable record: " + problem);
  RunRecord r;
  json rest = j;
  take(rest, "schema_version", r.schema_version);
  take(rest, "run_id", r.run_id);
  take(rest, "created", r.created);
  take_struct(rest, "suite", r.suite);  // null or a bare name stays in extra
  r.method = MethodRecord::from_json(rest.at("method"));
  rest.erase("method");
  take_any(rest, "model", r.model);
  r.task = TaskRecord::from_json(rest.at("task"));
  rest.erase("task");
  take_struct(rest, "training", r.training);
  r.metrics = MetricsRecord::from_json(rest.at("metrics"));
  rest.erase("metrics");
  take_struct(rest, "analysis", r.analysis);
  take_struct(rest, "efficiency", r.efficiency);
  // The record names its meters (efficiency.meters): their readings at each point are typed as readings.
  std::vector<std::string> meters;
  if (r.efficiency && r.efficiency->meters) {
    for (const auto& [name, status] : *r.efficiency->meters) meters.push_back(name);
  }
  for (const auto& p : rest.at("operating_points")) r.operating_points.push_back(OperatingPointRecord::from_json(p, meters));
  rest.erase("operating_points");
  take_struct(rest, "reproducibility", r.reproducibility);
  take_any(rest, "measurement_settings", r.measurement_settings);
  take_any(rest, "software", r.provenance.software);
  take_any(rest, "hardware", r.provenance.hardware);
  take(rest, "warnings", r.provenance.warnings);
  r.extra = std::move(rest);
  return r;
}

json RunRecord::to_json() const {
  json j = extra;
  put(j, "schema_version", schema_version);
  j["run_id"] = run_id;
  put(j, "created", created);
  put_struct(j, "suite", suite);
  j["method"] = method.to_json();
  put(j, "model", model);
  j["task"] = task.to_json();
  put_struct(j, "training", training);
  j["metrics"] = metrics.to_json();
  json points = json::array();
  for (const auto& p : operating_points) points.push_back(p.to_json());
  j["operating_points"] = points;
  put_struct(j, "analysis", analysis);
  put_struct(j, "efficiency", efficiency);
  put_struct(j, "reproducibility", reproducibility);
  put(j, "measurement_settings", measurement_settings);
  put(j, "software", provenance.software);
  put(j, "hardware", provenance.hardware);
  put(j, "warnings", provenance.warnings);
  return j;
}

json RunRecord::suite_name() const {
  if (suite) return suite->name ? json(*suite->name) : json("");
  const auto it = extra.find("suite");
  return it != extra.end() && it->is_string() ? *it : json(nullptr);
}

const OperatingPointRecord* RunRecord::headline() const {
  for (const auto& p : operating_points)
    if (p.name == metrics.operating_point) return &p;
  return nullptr;
}

std::optional<std::string> RunRecord::hardware_cpu() const {
  const auto& h = provenance.hardware;
  if (!h || !h->is_object() || !h->contains("cpu") || !(*h)["cpu"].is_string()) return std::nullopt;
  return (*h)["cpu"].get<std::string>();
}

std::optional<double> RunRecord::test_examples() const { return task.test ? task.test->example_count() : std::nullopt; }

}  // namespace greenbench
