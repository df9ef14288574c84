// Evaluating a trained method on the test role: every operating point in
// batches under the phase meters (accuracy, macro-F1, FLOPs from each
// instance's compute path, every meter's reading), then batch-1 latency over
// a seeded sample; the points go into the run's record (run_record_builder.h),
// which is written atomically.
#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <random>

#include "data/batching.h"
#include "greenbench/bert/precision.h"
#include "greenbench/error.h"
#include "measure/flops.h"
#include "measure/latency.h"
#include "measure/papi_counters.h"
#include "record/run_record.h"
#include "run/phase_meters.h"
#include "run/run_record_builder.h"
#include "run/runner.h"
#include "util/atomic_file.h"

namespace greenbench {
namespace {

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
// (accuracy, FLOPs, throughput, every meter's reading; the Offline scenario),
// then batch-1 latency over a sample (the SingleStream scenario). Batches are
// collated beforehand, so the clock sees only the method's own work.
OperatingPointRecord evaluate_point(Method& method, const std::vector<Batch>& batches, const LatencySample& singles,
                                    const EncodedSet& test, const OperatingPoint& point, int num_labels,
                                    PhaseMeters& meters, const MeasureSettings& measure) {
  std::vector<Prediction> predictions(test.size()), scratch;
  meters.start();
  for (const auto& batch : batches) {
    method.predict(batch, point, scratch);
    for (size_t i = 0; i < batch.indices.size(); ++i) predictions[static_cast<size_t>(batch.indices[i])] = scratch[i];
  }
  MeterReadings readings = meters.stop();
  // What each meter tried (the energy sources, and why each failed) is said
  // once in efficiency.meters and training; each point keeps its reading and reason.
  for (auto& [name, reading] : readings) reading.erase("sources_tried");
  // The clock's reading is the point's own wall and CPU seconds.
  const nlohmann::json clock = readings.at(PhaseMeters::kClock);
  readings.erase(PhaseMeters::kClock);
  const double wall = clock.at("wall_seconds").get<double>();

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
  OperatingPointRecord result;
  result.name = point.name;
  result.setting = point.setting;
  result.accuracy = s.accuracy;
  result.macro_f1 = s.macro_f1;
  result.flops_per_instance = flops / n;
  result.wall_seconds = wall;
  result.cpu_seconds = clock.value("cpu_seconds", 0.0);
  result.ms_per_instance = 1000 * wall / n;
  result.instances_per_second = n / wall;
  result.readings = readings;
  const auto counters = readings.find("counters");
  result.flops_cross_check = cross_check(counters != readings.end() ? counters->second : nlohmann::json(), flops);
  result.exit_histogram = nlohmann::json{{"by_layers_run", histogram}, {"by_path", by_path}};
  result.model = shape.to_json();

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
    result.latency_batch1 = latency;
  }
  return result;
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
  PhaseMeters meters(s.measure.energy_options());
  std::vector<OperatingPointRecord> points;
  for (const auto& point : operating_points) {
    points.push_back(evaluate_point(method, batches, singles, p.test, point, num_labels, meters, s.measure));
  }
  RunRecord record = build_run_record(p, t, s, std::move(points), meters.status(),
                                      method.shape_at(operating_points.back()).to_json(), method.analyse(p.test));
  nlohmann::json written = record.to_json();
  write_file_atomic(record.path, written.dump(2) + "\n");
  written["path"] = record.path;
  return written;
}

}  // namespace greenbench
