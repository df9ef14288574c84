// Role assignment (see roles.h): which split trains, which calibrates, which
// is reported, plus the seeded, stratified carve-out and subsamples.
//
// Determinism: the shuffles use splitmix64 and our own Fisher-Yates with
// rejection sampling rather than std::shuffle / std::uniform_int_distribution,
// whose algorithms the standard leaves to the library, so the same seed picks
// the same examples on every platform. Each purpose (carve-out, and the
// subsample of each role) draws from its own stream derived from the seed, so
// that changing --max-train does not change which examples are calibrated on.
#include "data/roles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <utility>
#include <vector>

#include "greenbench/error.h"

namespace greenbench {
namespace {

// Stream identifiers mixed into the seed, one per purpose.
constexpr uint64_t kCarveOutStream = 0x6361727665ULL;              // "carve"
constexpr uint64_t kTrainSubsampleStream = 0x747261696eULL;        // "train"
constexpr uint64_t kCalibrationSubsampleStream = 0x63616c6962ULL;  // "calib"
constexpr uint64_t kTestSubsampleStream = 0x74657374ULL;           // "test"

/// splitmix64 (Steele, Lea, Flood 2014): small, fast, fully specified.
class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) : state_(seed ^ (stream * 0x9E3779B97F4A7C15ULL)) { next(); }

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, n), n > 0; rejection sampling removes the modulo bias.
  uint64_t below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x = next();
    while (x >= limit) x = next();
    return x % n;
  }

 private:
  uint64_t state_;
};

void shuffle(std::vector<size_t>& items, Rng& rng) {
  for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng.below(i)]);
}

/// Example indices per label, each list in file order; labels in ascending order.
std::map<int, std::vector<size_t>> group_by_label(const Split& split) {
  std::map<int, std::vector<size_t>> groups;
  for (size_t i = 0; i < split.examples.size(); ++i) groups[split.examples[i].label].push_back(i);
  return groups;
}

/// Splits `target` over the groups in proportion to their sizes (largest
/// remainder; ties go to the smaller label), so the counts sum to `target`.
std::map<int, size_t> allocate(const std::map<int, std::vector<size_t>>& groups, size_t total,
                               size_t target) {
  std::map<int, size_t> quota;
  std::vector<std::pair<size_t, int>> remainders;  // (remainder, label)
  size_t given = 0;
  for (const auto& [label, members] : groups) {
    // Cannot overflow: both factors are example counts, far below 2^32.
    const uint64_t scaled = static_cast<uint64_t>(members.size()) * target;
    quota[label] = static_cast<size_t>(scaled / total);
    remainders.emplace_back(static_cast<size_t>(scaled % total), label);
    given += quota[label];
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; given < target && i < remainders.size(); ++i, ++given) ++quota[remainders[i].second];
  return quota;
}

/// Marks a seeded, stratified choice of `target` examples of `split`.
std::vector<bool> stratified_choice(const Split& split, size_t target, uint64_t seed, uint64_t stream) {
  std::vector<bool> chosen(split.examples.size(), false);
  const auto groups = group_by_label(split);
  const auto quota = allocate(groups, split.examples.size(), target);
  Rng rng(seed, stream);
  for (const auto& [label, members] : groups) {
    std::vector<size_t> order = members;
    shuffle(order, rng);
    for (size_t i = 0; i < quota.at(label); ++i) chosen[order[i]] = true;
  }
  return chosen;
}

/// Moves the chosen examples out of `from` into a new split (file order kept);
/// `from` keeps the others. Both keep the source's name, files and sha256.
Split take_chosen(Split& from, const std::vector<bool>& chosen) {
  Split taken;
  taken.name = from.name;
  taken.files = from.files;
  taken.sha256 = from.sha256;
  taken.labelled = from.labelled;
  std::vector<Example> kept;
  for (size_t i = 0; i < from.examples.size(); ++i) {
    (chosen[i] ? taken.examples : kept).push_back(std::move(from.examples[i]));
  }
  from.examples = std::move(kept);
  return taken;
}

void subsample(Split& split, size_t max_count, uint64_t seed, uint64_t stream, std::string& source) {
  if (max_count == 0 || max_count >= split.examples.size()) return;
  std::vector<bool> chosen = stratified_choice(split, max_count, seed, stream);
  split = take_chosen(split, chosen);
  source += ", subsample " + std::to_string(max_count) + " (seed " + std::to_string(seed) + ")";
}

std::string percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g%%", fraction * 100.0);
  return buffer;
}

std::string relative_name(const std::string& file, const std::string& task_dir) {
  std::filesystem::path relative = std::filesystem::path(file).lexically_relative(task_dir);
  return relative.empty() ? file : relative.string();
}

void require_labels(const Task& task, const Split& split, const std::string& task_dir,
                    const std::string& role) {
  if (split.labelled) return;
  const std::string file = split.files.empty() ? split.name : relative_name(split.files.front(), task_dir);
  const std::string base = std::filesystem::path(file).filename().string();
  if (role == "test") {
    throw Error(task.name() + ": " + file +
                " has no labels (benchmarks such as GLUE keep test labels private); evaluate on dev "
                "instead by removing " +
                base + " or pass --data pointing at a folder with a labelled test file");
  }
  throw Error(task.name() + ": " + file + " has no labels, so it cannot serve as the " + role + " role");
}

// Every role needs examples: training on none fails later with a cryptic
// error, and a test role of none records an accuracy of 0 over nothing.
void require_examples(const Task& task, const Split& split, const std::string& task_dir, const std::string& role) {
  if (!split.examples.empty()) return;
  const std::string file = split.files.empty() ? split.name : relative_name(split.files.front(), task_dir);
  throw Error(task.name() + ": " + file + " holds no examples, so it cannot serve as the " + role + " role");
}

}  // namespace

TaskData load_task_data(const Task& task, const std::string& data_root, const RoleOptions& options) {
  const std::string task_dir = (std::filesystem::path(data_root) / task.name()).string();
  TaskData data;
  const bool has_test = task.has_split(task_dir, "test");
  const bool has_dev = task.has_split(task_dir, "dev");

  if (!has_test && !has_dev) {
    // Say everything that was tried for both splits, not just the last one.
    std::string message = task.name() + ": no split to report on (neither test nor dev).";
    for (const char* split : {"test", "dev"}) {
      try {
        task.load_split(task_dir, split);
      } catch (const DataMissingError& e) {
        message += std::string("\n") + e.what();
      }
    }
    throw DataMissingError(message);
  }

  data.train = task.load_split(task_dir, "train");
  require_labels(task, data.train, task_dir, "train");
  require_examples(task, data.train, task_dir, "train");
  data.train_source = "train";

  if (has_test) {
    data.test = task.load_split(task_dir, "test");
    data.test_source = "test";
  } else {
    data.test = task.load_split(task_dir, "dev");
    data.test_source = "dev";
  }
  require_labels(task, data.test, task_dir, "test");
  require_examples(task, data.test, task_dir, "test");

  if (has_test && has_dev) {
    data.calibration = task.load_split(task_dir, "dev");
    require_labels(task, data.calibration, task_dir, "calibration");
    require_examples(task, data.calibration, task_dir, "calibration");
    data.calibration_source = "dev";
  } else {
    const double fraction = options.calibration_fraction;
    if (!(fraction > 0.0 && fraction < 1.0)) {
      throw Error("calibration fraction must lie strictly between 0 and 1, got " + std::to_string(fraction));
    }
    const size_t total = data.train.examples.size();
    if (total < 2) {
      throw Error(task.name() + ": train has " + std::to_string(total) +
                  " example(s), too few to carve out a calibration set");
    }
    size_t target = static_cast<size_t>(std::llround(static_cast<double>(total) * fraction));
    target = std::min(std::max<size_t>(target, 1), total - 1);
    std::vector<bool> chosen = stratified_choice(data.train, target, options.seed, kCarveOutStream);
    data.calibration = take_chosen(data.train, chosen);
    data.calibration_source =
        "train carve-out " + percent(fraction) + " (seed " + std::to_string(options.seed) + ", stratified)";
    data.train_source = "train minus carve-out";
  }

  subsample(data.train, options.max_train, options.seed, kTrainSubsampleStream, data.train_source);
  subsample(data.calibration, options.max_calibration, options.seed, kCalibrationSubsampleStream,
            data.calibration_source);
  subsample(data.test, options.max_test, options.seed, kTestSubsampleStream, data.test_source);
  return data;
}

std::string resolve_data_root(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("GREENBENCH_DATA"); env && *env) return env;
  return "data";
}

}  // namespace greenbench
