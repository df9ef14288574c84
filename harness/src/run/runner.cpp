#include "run/runner.h"

#include <ctime>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <random>

#include "data/batching.h"
#include "greenbench/bert/base_model.h"
#include "greenbench/bert/precision.h"
#include "greenbench/error.h"
#include "greenbench/registry.h"
#include "measure/flops.h"
#include "measure/latency.h"
#include "measure/papi_counters.h"
#include "measure/provenance.h"
#include "model/checkpoint_manifest.h"
#include "run/build_info.h"
#include "run/phase_meters.h"
#include "run/pretrained_encoder.h"
#include "run/settings_validation.h"
#include "text/vocab_builder.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace greenbench {
namespace {

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

nlohmann::json role_json(const Split& split, const std::string& source) {
  return {{"split", split.name}, {"source", source}, {"files", split.files}, {"sha256", split.sha256},
          {"examples", split.examples.size()}};
}

Vocab obtain_vocab(const PreparedTask& p, const RunSettings& s) {
  if (!s.vocab_file.empty()) return Vocab::load(s.vocab_file);
  nlohmann::json key = {{"train_sha256", p.data.train.sha256}, {"train_source", p.data.train_source},
                        {"train_examples", p.data.train.examples.size()}, {"vocab_size", s.vocab_size},
                        {"lower_case", true}, {"builder", 1}};
  const std::string path = s.cache_dir + "/vocab-" + p.task->name() + "-" + config_hash(key) + ".txt";
  if (std::filesystem::exists(path)) return Vocab::load(path);
  std::vector<std::string> texts;
  texts.reserve(p.data.train.examples.size() * 2);
  for (const auto& ex : p.data.train.examples) {
    texts.push_back(ex.text_a);
    if (!ex.text_b.empty()) texts.push_back(ex.text_b);
  }
  VocabBuildOptions options;
  options.vocab_size = static_cast<size_t>(s.vocab_size);
  std::fprintf(stderr, "%s: learning a %d-piece WordPiece vocabulary from %zu training texts\n", p.task->name().c_str(),
               s.vocab_size, texts.size());
  Vocab vocab = build_wordpiece_vocab(texts, options);
  vocab.save(path);
  return vocab;
}

struct Scores {
  double accuracy = 0, macro_f1 = 0;
};

Scores score(const std::vector<Prediction>& predictions, const std::vector<int64_t>& labels, int num_labels) {
  std::vector<double> tp(num_labels, 0), fp(num_labels, 0), fn(num_labels, 0);
  double correct = 0;
  for (size_t i = 0; i < predictions.size(); ++i) {
    const int p = predictions[i].label, g = static_cast<int>(labels[i]);
    if (p == g) {
      correct += 1;
      tp[g] += 1;
    } else {
      if (p >= 0 && p < num_labels) fp[p] += 1;
      fn[g] += 1;
    }
  }
  Scores s;
  s.accuracy = predictions.empty() ? 0 : correct / predictions.size();
  for (int c = 0; c < num_labels; ++c) {
    const double denom = 2 * tp[c] + fp[c] + fn[c];
    s.macro_f1 += denom > 0 ? 2 * tp[c] / denom : 0;
  }
  s.macro_f1 /= num_labels;
  return s;
}

}  // namespace

LatencySample latency_sample(const EncodedSet& test, int count, uint64_t seed) {
  std::vector<int64_t> order(test.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  const size_t n = std::min(order.size(), static_cast<size_t>(std::max(count, 0)));
  // The rest of the shuffle, by length, for the warm-up stand-ins.
  std::map<size_t, std::vector<int64_t>> spare;
  for (size_t k = order.size(); k-- > n;) spare[test.ids[static_cast<size_t>(order[k])].size()].push_back(order[k]);
  LatencySample sample;
  for (size_t k = 0; k < n; ++k) {
    const int64_t timed = order[k];
    auto& same_length = spare[test.ids[static_cast<size_t>(timed)].size()];
    int64_t stand_in = timed;
    if (!same_length.empty()) {
      stand_in = same_length.back();
      same_length.pop_back();
    }
    sample.timed.push_back(collate(test, {timed}));
    sample.warm_up.push_back(collate(test, {stand_in}));
  }
  return sample;
}

namespace {

// The counters see the calling thread only: with more threads the measured
// count misses the workers' share, so no ratio is given then.
nlohmann::json cross_check(const nlohmann::json& counters, double analytic) {
  nlohmann::json check = flops_cross_check(counters, analytic);
  if (check.contains("measured") && thread_budget() > 1) {
    check.erase("measured_over_analytic");
    check["note"] = "counted on the calling thread only, with " + std::to_string(thread_budget()) +
                    " threads at work; rerun with --threads 1 for a comparable count";
  }
  return check;
}

// One operating point: the whole test role in batches under the phase meters
// (accuracy, FLOPs, throughput, energy, counters; the Offline scenario), then
// batch-1 latency over a sample (the SingleStream scenario). Batches are
// collated beforehand, so the clock sees only the method's own work.
nlohmann::json evaluate_point(Method& method, const std::vector<Batch>& batches, const LatencySample& singles,
                              const EncodedSet& test, const OperatingPoint& point, int num_labels,
                              PhaseMeters& meters, const MeasureSettings& measure) {
  std::vector<Prediction> predictions(test.size()), scratch;
  meters.start();
  for (const auto& batch : batches) {
    method.predict(batch, point, scratch);
    for (size_t i = 0; i < batch.indices.size(); ++i) predictions[static_cast<size_t>(batch.indices[i])] = scratch[i];
  }
  nlohmann::json readings = meters.stop();
  // Which energy sources were tried, and why each failed, is said once in
  // efficiency.meters; each point keeps its reading and reason.
  readings["energy"].erase("sources_tried");
  const double wall = readings["time"]["wall_seconds"].get<double>();

  const ModelShape shape = method.shape_at(point);
  const int depth = shape.kind == ModelShape::Kind::bert ? shape.bert.num_hidden_layers : 0;
  double flops = 0;
  std::vector<int64_t> histogram(static_cast<size_t>(depth), 0);
  // Per compute path (layers run, exit heads evaluated): instances and the sum
  // of their lengths and squared lengths. FLOPs are at most quadratic in the
  // length, so these let `greenbench validate` recompute the total exactly.
  std::map<std::pair<int, int>, std::array<double, 3>> paths;
  for (size_t i = 0; i < predictions.size(); ++i) {
    const auto& p = predictions[i];
    const int length = static_cast<int>(test.ids[i].size());
    flops += instance_flops(shape, length, p.layers_run, p.exits_evaluated);
    if (p.layers_run >= 1 && p.layers_run <= depth) histogram[static_cast<size_t>(p.layers_run - 1)] += 1;
    auto& path = paths[{p.layers_run, p.exits_evaluated}];
    path[0] += 1;
    path[1] += length;
    path[2] += static_cast<double>(length) * length;
  }
  nlohmann::json by_path = nlohmann::json::array();
  for (const auto& [key, sums] : paths) {
    by_path.push_back({{"layers_run", key.first}, {"exits_evaluated", key.second}, {"instances", sums[0]},
                       {"tokens", sums[1]}, {"tokens_squared", sums[2]}});
  }
  const double n = static_cast<double>(test.size());
  Scores s = score(predictions, test.labels, num_labels);
  nlohmann::json result = {{"name", point.name},
                           {"setting", point.setting},
                           {"accuracy", s.accuracy},
                           {"macro_f1", s.macro_f1},
                           {"flops_per_instance", flops / n},
                           {"wall_seconds", wall},
                           {"cpu_seconds", readings["time"].value("cpu_seconds", 0.0)},
                           {"ms_per_instance", 1000 * wall / n},
                           {"instances_per_second", n / wall},
                           {"energy", readings["energy"]},
                           {"counters", readings["counters"]},
                           {"flops_cross_check", cross_check(readings["counters"], flops)},
                           {"exit_histogram", {{"by_layers_run", histogram}, {"by_path", by_path}}},
                           {"model", shape.to_json()}};

  if (!singles.timed.empty()) {
    std::vector<Prediction> one;
    for (int pass = 0; pass < measure.latency_warmup_passes; ++pass) {
      for (const auto& batch : singles.warm_up) method.predict(batch, point, one);
    }
    const auto samples =
        time_each_call([&](size_t i) { method.predict(singles.timed[i], point, one); }, singles.timed.size());
    nlohmann::json latency = latency_stats(samples).to_json();
    latency["batch_size"] = 1;
    latency["instances"] = "a seeded sample of the test role (settings.measure.latency_instances)";
    latency["warm_up"] = std::to_string(measure.latency_warmup_passes) +
                         " untimed pass(es) over other test instances of the timed instances' lengths";
    result["latency_batch1"] = latency;
  }
  return result;
}

}  // namespace

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

std::string config_hash(const nlohmann::json& j) { return sha256_hex(j.dump()).substr(0, 16); }

PreparedTask prepare_task(const std::string& task_name, const RunSettings& s) {
  // Bad settings fail here, before any data is read or any method trains.
  validate_settings(s, "settings");
  if (s.pretrain.enabled()) {
    try {
      s.pretrain.validate();
    } catch (const std::invalid_argument& e) {
      throw Error(std::string("settings: ") + e.what());
    }
  }
  PreparedTask p;
  p.task = make_task(task_name);
  p.data = load_task_data(*p.task, s.data_root, s.roles);
  Vocab vocab = obtain_vocab(p, s);
  const std::string vocab_sha = vocab.sha256();
  const int vocab_size = vocab.size();
  p.tokenizer = std::make_unique<BertTokenizer>(std::move(vocab));
  p.train = encode_split(p.data.train, *p.tokenizer, s.max_len, task_name + " tokenize train");
  p.calibration = encode_split(p.data.calibration, *p.tokenizer, s.max_len);
  p.test = encode_split(p.data.test, *p.tokenizer, s.max_len);
  p.info = {{"name", p.task->name()},
            {"display_name", p.task->display_name()},
            {"labels", p.task->label_names()},
            {"roles", {{"train", role_json(p.data.train, p.data.train_source)},
                       {"calibration", role_json(p.data.calibration, p.data.calibration_source)},
                       {"test", role_json(p.data.test, p.data.test_source)}}},
            {"vocab", {{"size", vocab_size}, {"sha256", vocab_sha}, {"source", s.vocab_file.empty() ? "learned from train" : s.vocab_file}}},
            {"test_tokens_per_instance", static_cast<double>(p.test.total_tokens()) / std::max<size_t>(1, p.test.size())}};
  return p;
}

nlohmann::json merged_method_config(const std::string& method_name, const nlohmann::json& config) {
  nlohmann::json merged = method_registry().get(method_name).default_config;
  validate_method_config(method_name, config, "config of method " + method_name);
  merged.merge_patch(config);
  return merged;
}

std::string run_config_hash(const PreparedTask& p, const std::string& method_name, const nlohmann::json& merged,
                            const RunSettings& s) {
  return config_hash({{"method", method_name}, {"config", merged}, {"settings", s.to_json()},
                      {"task", p.task->name()}, {"train_sha256", p.data.train.sha256}});
}

std::string record_path(const std::string& task, const std::string& method_name, const std::string& hash,
                        const RunSettings& s) {
  return s.results_dir + "/" + task + "/" + task + "-" + method_name + "-" + hash + "-s" + std::to_string(s.seed) + ".json";
}

namespace {
EnergyMeter::Options energy_options(const MeasureSettings& measure) {
  EnergyMeter::Options options;
  options.tdp_watts_per_core = measure.tdp_watts_per_core;
  return options;
}
}  // namespace

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
  PhaseMeters meters(energy_options(s.measure));
  meters.start();
  t.training = t.method->train(context);
  t.training["meters"] = meters.stop();
  meters.start();
  const nlohmann::json calibrated = t.method->calibrate(context);
  t.training["calibration_meters"] = meters.stop();
  for (const auto& [key, value] : calibrated.items()) t.training[key] = value;
  t.training["train_and_calibrate_seconds"] = t.training["meters"]["time"]["wall_seconds"].get<double>() +
                                              t.training["calibration_meters"]["time"]["wall_seconds"].get<double>();
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

void save_trained(const PreparedTask& p, TrainedMethod& t, const RunSettings& s, const std::string& dir) {
  check_checkpoint_folder(dir);
  const std::string weights_sha = t.method->save(dir);
  t.training["checkpoint_sha256"] = weights_sha;
  p.tokenizer->vocab().save(dir + "/vocab.txt");
  nlohmann::json run = {{"task", p.task->name()}, {"method", t.name}, {"config", t.config},
                        {"config_hash", t.config_hash}, {"settings", s.to_json()}, {"training", t.training},
                        {"model_sha256", weights_sha}};
  write_file_atomic(dir + "/run.json", run.dump(2) + "\n");
  // Last, over everything above: a save killed before this line leaves no
  // manifest, and the folder is refused on load.
  write_checkpoint_manifest(dir);
}

std::pair<std::string, RunSettings> checkpoint_run_settings(const std::string& dir, const RunSettings& overrides) {
  // Its vocabulary and settings are used from here on: checked first.
  verify_checkpoint_manifest(dir);
  const std::string path = dir + "/run.json";
  nlohmann::json run;
  try {
    run = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not a greenbench run file: " + e.what());
  }
  RunSettings s = overrides;
  const auto& saved = run.at("settings");
  s.max_len = saved.at("max_len");
  s.model_size = saved.at("model_size");
  s.num_layers = saved.at("num_layers");
  s.pooling = saved.at("pooling");
  s.seed = saved.at("seed");
  s.train.update_from_json(saved.at("train"));
  if (saved.contains("pretrain")) s.pretrain.update_from_json(saved.at("pretrain"));
  s.roles.calibration_fraction = saved.at("roles").at("calibration_fraction");
  s.roles.seed = saved.at("roles").at("seed");
  // The same roles as when it was trained, so the test role is the same subset.
  s.roles.max_train = saved.at("roles").value("max_train", s.roles.max_train);
  s.roles.max_calibration = saved.at("roles").value("max_calibration", s.roles.max_calibration);
  s.roles.max_test = saved.at("roles").value("max_test", s.roles.max_test);
  s.vocab_size = saved.value("vocab_size", s.vocab_size);
  s.vocab_file = dir + "/vocab.txt";
  return {run.at("task").get<std::string>(), s};
}

TrainedMethod load_trained(const std::string& dir) {
  verify_checkpoint_manifest(dir);
  nlohmann::json run = nlohmann::json::parse(read_file(dir + "/run.json"));
  TrainedMethod t;
  t.name = run.at("method");
  t.config = run.at("config");
  t.config_hash = run.at("config_hash");
  t.training = run.at("training");
  t.training["loaded_from"] = dir;
  t.method = method_registry().get(t.name).make();
  t.method->load(dir, t.config);
  return t;
}

namespace {
// Where a method's code came from: built into this greenbench, or a plugin
// (its path and sha256, so a record names the exact library that ran).
nlohmann::json suite_block(const RunSettings& s) {
  nlohmann::json suite = {{"name", s.suite}, {"version", s.suite_version}};
  if (s.trial >= 0) suite["trial"] = {{"index", s.trial}, {"draws", s.trial_draws}};
  return suite;
}

nlohmann::json method_origin(const std::string& name) {
  const std::string& plugin = method_registry().origin(name);
  if (plugin.empty()) return {{"kind", "built-in"}};
  nlohmann::json origin = {{"kind", "plugin"}, {"path", std::filesystem::absolute(plugin).string()}};
  if (std::filesystem::exists(plugin)) origin["sha256"] = sha256_file(plugin);
  return origin;
}
}  // namespace

nlohmann::json evaluate_method(PreparedTask& p, TrainedMethod& t, const RunSettings& s) {
  // An accuracy over no instances would be recorded as 0 with NaN FLOPs.
  if (p.test.size() == 0) {
    std::string files;
    for (const auto& f : p.data.test.files) files += (files.empty() ? "" : ", ") + f;
    throw Error(p.task->name() + ": the test role (" + (files.empty() ? "no file" : files) +
                ") holds no examples; nothing to evaluate, so no record is written");
  }
  Method& method = *t.method;
  const int num_labels = static_cast<int>(p.task->label_names().size());
  std::vector<Batch> batches;
  for (const auto& indices : sorted_batches(p.test, s.eval_batch_size)) batches.push_back(collate(p.test, indices));
  // A few untimed batches first, so the first operating point does not pay
  // for cold caches and lazy initialisation. Without them, in the quick bench
  // on AG News, the standard model's only point timed 1.38x slower than early
  // exit at threshold 1, which does the same work (plus three exit heads).
  const auto operating_points = method.operating_points();
  std::vector<Prediction> warm_up;
  for (size_t i = 0; i < std::min<size_t>(batches.size(), 3); ++i) method.predict(batches[i], operating_points.back(), warm_up);
  const LatencySample singles = latency_sample(p.test, s.measure.latency_instances, s.seed);
  PhaseMeters meters(energy_options(s.measure));
  nlohmann::json points = nlohmann::json::array();
  for (const auto& point : operating_points) {
    points.push_back(evaluate_point(method, batches, singles, p.test, point, num_labels, meters, s.measure));
  }
  const nlohmann::json& headline = points.back();

  const nlohmann::json machine = provenance(build_facts());
  nlohmann::json inference_energy = nlohmann::json::array();
  for (const auto& point : points) inference_energy.push_back(point["energy"]);
  // A model loaded from a checkpoint written before the meters existed has
  // no training readings; its footprint then says so instead of guessing.
  auto reading = [&](const char* phase) {
    const nlohmann::json& training = t.training;
    return training.contains(phase) ? training[phase].value("energy", nlohmann::json(nullptr)) : nlohmann::json(nullptr);
  };
  nlohmann::json training_energy = nlohmann::json::array();
  for (const char* phase : {"meters", "calibration_meters"}) {
    if (!reading(phase).is_null()) training_energy.push_back(reading(phase));
  }
  nlohmann::json footprint = green_ai_report(training_energy, nullptr, inference_energy, s.measure.carbon);
  footprint["training"]["note"] = "training and calibration";
  footprint["model_selection"]["reason"] =
      "one configuration per run; best-epoch selection is part of training. Sweeps report their trials together.";
  footprint["inference"]["note"] = "one full pass over the test role per operating point";
  // A model evaluated again from its checkpoint gets a record of its own,
  // keyed by the evaluation's settings too, so it never replaces the record
  // written when it was trained.
  std::string record_key = t.config_hash;
  if (t.training.contains("loaded_from")) {
    record_key += "-eval-" + config_hash({s.to_json(), s.measure.to_json()}).substr(0, 8);
  }
  const std::string run_id = p.task->name() + "-" + t.name + "-" + record_key + "-s" + std::to_string(s.seed);
  nlohmann::json record = {
      {"schema_version", kRecordSchemaVersion},
      {"run_id", run_id},
      {"created", utc_now()},
      {"suite", suite_block(s)},
      {"method",
       {{"name", t.name}, {"family", method_registry().get(t.name).family}, {"version", "1"}, {"config", t.config},
        {"config_hash", t.config_hash}, {"origin", method_origin(t.name)}}},
      {"model", method.shape_at(operating_points.back()).to_json()},
      {"task", p.info},
      {"training", t.training},
      {"metrics", {{"accuracy", headline["accuracy"]}, {"macro_f1", headline["macro_f1"]}, {"operating_point", headline["name"]}}},
      {"operating_points", points},
      {"analysis", method.analyse(p.test)},
      {"efficiency",
       {{"flops_per_instance", headline["flops_per_instance"]},
        {"flops_convention", "analytic, per instance from its real length and the layers and exit heads it ran; multiply-add = 2 FLOPs; matrix products only"},
        {"eval_batch_size", s.eval_batch_size},
        {"throughput", {{"batch_size", s.eval_batch_size}, {"instances_per_second", headline["instances_per_second"]}}},
        {"latency_batch1", headline.value("latency_batch1", nlohmann::json(nullptr))},
        {"train_and_calibrate_seconds", t.training.value("train_and_calibrate_seconds", 0.0)},
        {"energy",
         {{"training", reading("meters")},
          {"calibration", reading("calibration_meters")},
          {"inference", headline["energy"]}}},
        {"footprint", footprint},
        {"meters", meters.status()}}},
      {"reproducibility",
       {{"seed", s.seed}, {"threads", s.threads}, {"torch_intra_op_threads", torch::get_num_threads()},
        {"settings", s.to_json()}}},
      {"measurement_settings", s.measure.to_json()},
      {"software", machine["software"]},
      {"hardware", machine["hardware"]},
      {"warnings", machine["warnings"]}};

  const std::string path = record_path(p.task->name(), t.name, record_key, s);
  write_file_atomic(path, record.dump(2) + "\n");
  record["path"] = path;
  return record;
}

}  // namespace greenbench
