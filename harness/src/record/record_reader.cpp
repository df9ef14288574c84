#include "record/record_reader.h"

#include <filesystem>
#include <vector>

#include "record/record_validation.h"
#include "util/atomic_file.h"

namespace greenbench {
namespace {

using Json = nlohmann::json;

enum class Want { string, number, integer, boolean, object, nonempty_array, number_or_null, object_or_null, suite };

const char* describe(Want w) {
  switch (w) {
    case Want::string: return "a string";
    case Want::number: return "a number";
    case Want::integer: return "an integer";
    case Want::boolean: return "true or false";
    case Want::object: return "an object";
    case Want::nonempty_array: return "a non-empty array";
    case Want::number_or_null: return "a number or null";
    case Want::object_or_null: return "an object or null";
    case Want::suite: return "null, a string or an object";
  }
  return "?";
}

bool fits(const Json& v, Want w) {
  switch (w) {
    case Want::string: return v.is_string();
    case Want::number: return v.is_number();
    case Want::integer: return v.is_number_integer();  // read as int: a float there would overflow the cast
    case Want::boolean: return v.is_boolean();
    case Want::object: return v.is_object();
    case Want::nonempty_array: return v.is_array() && !v.empty();
    case Want::number_or_null: return v.is_number() || v.is_null();
    case Want::object_or_null: return v.is_object() || v.is_null();
    case Want::suite: return v.is_null() || v.is_string() || v.is_object();
  }
  return false;
}

// A path of keys; "[]" after a key means every element of that array.
// `required`: must be there whenever its parent is (an optional parent that
// is absent or null makes its children not apply). Parents come first.
struct Field {
  const char* path;
  Want want;
  bool required;
};

// Every field that leaderboard_data, task_table, site_builder, report and
// merge read, and nothing else.
const Field kFields[] = {
    {"run_id", Want::string, true},
    {"task", Want::object, true},
    {"task.name", Want::string, true},
    {"task.display_name", Want::string, false},
    {"task.roles", Want::object, false},
    {"task.roles.test", Want::object, false},
    {"task.roles.test.examples", Want::number, false},
    {"task.roles.test.source", Want::string, false},
    {"method", Want::object, true},
    {"method.name", Want::string, true},
    {"method.family", Want::string, false},
    {"method.config", Want::object, false},
    {"metrics", Want::object, true},
    {"metrics.accuracy", Want::number, true},
    {"metrics.operating_point", Want::string, true},
    {"operating_points", Want::nonempty_array, true},
    {"operating_points[]", Want::object, true},
    {"operating_points[].name", Want::string, true},
    {"operating_points[].accuracy", Want::number, true},
    {"operating_points[].flops_per_instance", Want::number, true},
    {"operating_points[].macro_f1", Want::number_or_null, false},
    {"operating_points[].ms_per_instance", Want::number, false},
    {"operating_points[].latency_batch1", Want::object_or_null, false},
    {"operating_points[].latency_batch1.p50_seconds", Want::number, false},
    {"operating_points[].energy", Want::object_or_null, false},
    {"operating_points[].energy.measured", Want::boolean, false},
    {"operating_points[].energy.joules", Want::number_or_null, false},
    {"operating_points[].energy.estimate", Want::object_or_null, false},
    {"operating_points[].energy.estimate.joules", Want::number, false},
    {"suite", Want::suite, false},
    {"suite.name", Want::string, false},
    {"reproducibility", Want::object, false},
    {"reproducibility.seed", Want::integer, false},
    {"reproducibility.threads", Want::integer, false},
    {"reproducibility.settings", Want::object, false},
    {"reproducibility.settings.train", Want::object, false},
    {"reproducibility.settings.roles", Want::object, false},
    {"hardware", Want::object, false},
    {"hardware.cpu", Want::string, false},
    {"efficiency", Want::object, false},
    {"efficiency.train_and_calibrate_seconds", Want::number, false},
    {"efficiency.energy", Want::object, false},
    {"efficiency.energy.training", Want::object_or_null, false},
    {"efficiency.energy.training.measured", Want::boolean, false},
    {"efficiency.energy.training.joules", Want::number_or_null, false},
    {"efficiency.energy.training.estimate", Want::object_or_null, false},
    {"efficiency.energy.training.estimate.joules", Want::number, false},
    {"analysis", Want::object, false},
    {"analysis.oracle", Want::object, false},
    {"analysis.oracle.accuracy", Want::number, true},
    {"analysis.oracle.flops_per_instance", Want::number, true},
};

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1) parts.push_back(path.substr(start, dot - start));
  parts.push_back(path.substr(start));
  return parts;
}

// Checks `field` below `node` from parts[i] on; "" or the first problem.
std::string check(const Json& node, const std::vector<std::string>& parts, size_t i, const std::string& where,
                  const Field& field) {
  std::string key = parts[i];
  const bool each = key.size() > 2 && key.compare(key.size() - 2, 2, "[]") == 0;
  if (each) key.resize(key.size() - 2);
  const std::string here = where.empty() ? key : where + "." + key;
  const bool last = i + 1 == parts.size();
  if (!node.is_object()) return "";  // a parent of another type was reported by its own field
  const auto it = node.find(key);
  if (it == node.end()) {
    return last && !each && field.required ? here + ": missing (expected " + describe(field.want) + ")" : "";
  }
  if (each) {
    if (!it->is_array()) return "";  // reported by the array's own field
    for (size_t k = 0; k < it->size(); ++k) {
      const std::string at = here + "[" + std::to_string(k) + "]";
      const Json& element = (*it)[k];
      if (last) {
        if (!fits(element, field.want)) return at + ": expected " + describe(field.want);
      } else if (std::string p = check(element, parts, i + 1, at, field); !p.empty()) {
        return p;
      }
    }
    return "";
  }
  if (last) return fits(*it, field.want) ? "" : here + ": expected " + describe(field.want) + ", found " + it->type_name();
  return check(*it, parts, i + 1, here, field);
}

}  // namespace

std::string record_reader_problem(const Json& record) {
  if (!record.is_object()) return std::string("not a record: a JSON ") + record.type_name() + ", not an object";
  for (const Field& field : kFields) {
    if (std::string p = check(record, split(field.path), 0, "", field); !p.empty()) return p;
  }
  return "";
}

RecordFile read_record_file(const std::string& path, std::size_t max_bytes) {
  RecordFile f;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    f.problem = "cannot read: " + ec.message();
    return f;
  }
  if (size > max_bytes) {
    f.problem = "not read: " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes);
    return f;
  }
  try {
    f.text = read_file(path);
    // Nesting is bounded before the parser recurses (a hostile file).
    if (std::string p = json_limits_problem(f.text, max_bytes, 64); !p.empty()) {
      f.problem = "not read: " + p;
      return f;
    }
    f.record = Json::parse(f.text);
  } catch (const std::exception& e) {
    f.record = nullptr;
    f.problem = std::string("not JSON: ") + e.what();
    return f;
  }
  f.problem = record_reader_problem(f.record);
  if (f.ok()) {
    f.run = RunRecord::from_json(f.record);
    f.run.path = path;
  }
  return f;
}

}  // namespace greenbench
