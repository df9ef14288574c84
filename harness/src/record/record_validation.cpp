#include "record/record_validation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "greenbench/model_shape.h"
#include "measure/flops.h"
#include "settings/settings_validation.h"

namespace greenbench {
namespace {

// results/schema.json and results/dataset_hashes.json, generated at configure time.
#include "record/record_schema.inc"

using Json = nlohmann::json;

const valijson::Schema& compiled_schema() {
  // valijson's Schema cannot be copied or moved: filled in place, once.
  static valijson::Schema schema;
  static std::once_flag parsed;
  std::call_once(parsed, [] {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(record_schema());
    parser.populateSchema(adapter, schema);
  });
  return schema;
}

std::string pointer(const std::vector<std::string>& context) {
  // valijson names each step "[key]" or "[index]": written as key.key[index].
  std::string out;
  for (const auto& c : context) {
    if (c == "<root>") continue;
    const std::string inner = c.size() >= 2 && c.front() == '[' && c.back() == ']' ? c.substr(1, c.size() - 2) : c;
    const bool index = !inner.empty() && inner.find_first_not_of("0123456789") == std::string::npos;
    out += index ? "[" + inner + "]" : (out.empty() ? "" : ".") + inner;
  }
  return out.empty() ? "(the record)" : out;
}

// FLOPs of n instances of one compute path, from the sums of their lengths
// and squared lengths: an instance's FLOPs are a quadratic in its length
// (attention), so three evaluations of the harness's own formula give it.
double path_flops(const ModelShape& shape, const Json& path) {
  const int layers = path.at("layers_run").get<int>(), exits = path.at("exits_evaluated").get<int>();
  // From a length where the n-gram count is linear too (length >= max n-gram).
  const int a = std::max(2, shape.kind == ModelShape::Kind::bag_of_ngrams ? shape.bag_of_ngrams.max_ngram : 2);
  const double f0 = instance_flops(shape, a, layers, exits), f1 = instance_flops(shape, a + 1, layers, exits),
               f2 = instance_flops(shape, a + 2, layers, exits);
  const double c2 = (f2 - 2 * f1 + f0) / 2, c1 = (f1 - f0) - c2 * (2 * a + 1), c0 = f0 - c1 * a - c2 * a * a;
  return c0 * path.at("instances").get<double>() + c1 * path.at("tokens").get<double>() +
         c2 * path.at("tokens_squared").get<double>();
}

bool close(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

std::string number(double x) {
  char text[64];
  std::snprintf(text, sizeof text, "%.10g", x);
  return text;
}

// What the schema cannot say. Runs only on a record the schema accepted, so
// every field read here exists with its type.
void check_semantics(const Json& r, const ValidationOptions& options, RecordValidation& v) {
  const std::string task = r["task"]["name"];
  const double instances = r["task"]["roles"]["test"]["examples"].get<double>();
  const std::string headline = r["metrics"]["operating_point"];
  bool found_headline = false;
  for (const auto& p : r["operating_points"]) {
    const std::string at = "operating point '" + p["name"].get<std::string>() + "'";
    double total = 0, counted = 0;
    try {
      const ModelShape shape = ModelShape::from_json(p["model"]);
      for (const auto& path : p["exit_histogram"]["by_path"]) {
        total += path_flops(shape, path);
        counted += path["instances"].get<double>();
      }
    } catch (const std::exception& e) {
      v.errors.push_back(at + ": its model cannot be read: " + e.what());
      continue;
    }
    if (!close(counted, instances)) {
      v.errors.push_back(at + ": its compute paths hold " + number(counted) + " instances, the test role " + number(instances));
    } else if (!close(total / instances, p["flops_per_instance"].get<double>())) {
      v.errors.push_back(at + ": flops_per_instance is " + number(p["flops_per_instance"].get<double>()) +
                         ", but its compute paths and model give " + number(total / instances));
    }
    if (p["name"] == headline) {
      found_headline = true;
      if (p["accuracy"] != r["metrics"]["accuracy"] || p["macro_f1"] != r["metrics"]["macro_f1"])
        v.errors.push_back("metrics differ from those of their operating point '" + headline + "'");
      if (!close(p["flops_per_instance"].get<double>(), r["efficiency"]["flops_per_instance"].get<double>()))
        v.errors.push_back("efficiency.flops_per_instance differs from that of operating point '" + headline + "'");
    }
  }
  if (!found_headline) v.errors.push_back("metrics.operating_point '" + headline + "' is not one of the operating points");

  // The settings it ran with, against the ranges the runner enforces: a record
  // of 0 epochs or a NaN learning rate describes an untrained model.
  if (r.contains("reproducibility") && r["reproducibility"].is_object() && r["reproducibility"].contains("settings")) {
    const Json& settings = r["reproducibility"]["settings"];
    static const std::pair<const char*, const char*> kRecordedSettings[] = {
        {"/train/epochs", "epochs"},         {"/train/learning_rate", "lr"},
        {"/train/batch_size", "batch_size"}, {"/train/warmup_fraction", "warmup_fraction"},
        {"/train/weight_decay", "weight_decay"}, {"/eval_batch_size", "eval_batch_size"},
        {"/max_len", "max_len"},             {"/num_layers", "layers"},
        {"/vocab_size", "vocab_size"},       {"/threads", "threads"}};
    for (const auto& [pointer, key] : kRecordedSettings) {
      const Json::json_pointer at(pointer);
      if (!settings.is_object() || !settings.contains(at)) continue;
      try {
        checked_setting_value(key, settings.at(at), "reproducibility.settings" + std::string(pointer));
      } catch (const std::exception& e) {
        v.errors.push_back(e.what());
      }
    }
  }

  const std::string prefix = task + "-" + r["method"]["name"].get<std::string>() + "-" + r["method"]["config_hash"].get<std::string>();
  if (r["run_id"].get<std::string>().rfind(prefix, 0) != 0)
    v.errors.push_back("run_id does not start with task-method-config_hash (" + prefix + ")");

  // Train and test data: a version of this task's data that we know.
  const Json& hashes = options.dataset_hashes.is_null() ? builtin_dataset_hashes() : options.dataset_hashes;
  for (const char* role : {"train", "test"}) {
    const std::string sha = r["task"]["roles"][role]["sha256"];
    bool known = false;
    if (hashes.contains("tasks") && hashes["tasks"].contains(task)) {
      for (const auto& [version, files] : hashes["tasks"][task].items()) {
        for (const auto& [file, digest] : files.items()) known = known || digest == sha;
      }
    }
    if (!known) {
      const std::string message = "the " + std::string(role) + " data of " + task + " (sha256 " + sha.substr(0, 12) +
                                  "...) is no known version of that task's data";
      (options.allow_unknown_data ? v.warnings : v.errors).push_back(message);
    }
  }
}

}  // namespace

const Json& record_schema() {
  static const Json schema = Json::parse(kRecordSchemaText);
  return schema;
}

const Json& builtin_dataset_hashes() {
  static const Json hashes = Json::parse(kDatasetHashesText);
  return hashes;
}

std::string json_limits_problem(const std::string& text, size_t max_bytes, int max_depth) {
  if (text.size() > max_bytes) {
    return std::to_string(text.size()) + " bytes, over the limit of " + std::to_string(max_bytes);
  }
  // Brackets outside strings: the parser recurses per level, so depth is
  // bounded before it runs.
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return "nested deeper than " + std::to_string(max_depth) + " levels";
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return "";
}

std::string record_duplicate_key(const Json& r) {
  try {
    return r.at("task").at("name").get<std::string>() + "|" + r.at("method").at("name").get<std::string>() + "|" +
           r.at("method").at("config_hash").get<std::string>() + "|" +
           std::to_string(r.at("reproducibility").at("seed").get<uint64_t>()) + "|" +
           r.at("hardware").at("cpu").get<std::string>() + "|" +
           std::to_string(r.at("hardware").at("logical_cores").get<int>());
  } catch (const std::exception&) {
    return "";
  }
}

RecordValidation validate_record_text(const std::string& text, const ValidationOptions& options) {
  RecordValidation v;
  if (const std::string problem = json_limits_problem(text, options.max_bytes, options.max_depth); !problem.empty()) {
    v.errors.push_back("refused unread: " + problem);
    return v;
  }
  try {
    v.record = Json::parse(text);
  } catch (const Json::exception& e) {
    v.errors.push_back(std::string("not JSON: ") + e.what());
    v.record = nullptr;
    return v;
  }
  try {
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(v.record);
    if (!validator.validate(compiled_schema(), target, &results)) {
      valijson::ValidationResults::Error error;
      // valijson reports the failing branch and its parents; the leaves say what is wrong.
      while (results.popError(error) && v.errors.size() < 50) {
        v.errors.push_back("schema: " + pointer(error.context) + ": " + error.description);
      }
      return v;
    }
    v.duplicate_key = record_duplicate_key(v.record);
    check_semantics(v.record, options, v);
  } catch (const std::exception& e) {
    v.errors.push_back(std::string("cannot check: ") + e.what());
  }
  return v;
}

}  // namespace greenbench
