// Taking typed fields out of JSON objects (record_json.h).
#include "record/record_json.h"

#include <limits>

namespace greenbench::record_json {
namespace {

// Takes the value under `key` out of `rest` into `read` when `fits` accepts it.
template <class Fits, class Read>
bool take_fitting(Json& rest, const char* key, Fits fits, Read read) {
  if (!rest.is_object()) return false;
  const auto it = rest.find(key);
  if (it == rest.end() || !fits(*it)) return false;
  read(*it);
  rest.erase(it);
  return true;
}

bool is_int(const Json& j) {
  if (j.is_number_unsigned()) return j.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int>::max());
  return j.is_number_integer() && j.get<int64_t>() >= std::numeric_limits<int>::min() &&
         j.get<int64_t>() <= std::numeric_limits<int>::max();
}

bool is_array_of_strings(const Json& j) {
  if (!j.is_array()) return false;
  for (const auto& e : j)
    if (!e.is_string()) return false;
  return true;
}

bool is_object_of_objects(const Json& j) {
  if (!j.is_object()) return false;
  for (const auto& [name, value] : j.items())
    if (!value.is_object()) return false;
  return true;
}

}  // namespace

bool take(Json& rest, const char* key, std::string& out) {
  return take_fitting(rest, key, [](const Json& j) { return j.is_string(); }, [&](const Json& j) { out = j.get<std::string>(); });
}

bool take(Json& rest, const char* key, double& out) {
  return take_fitting(rest, key, [](const Json& j) { return j.is_number(); }, [&](const Json& j) { out = j.get<double>(); });
}

bool take(Json& rest, const char* key, int& out) {
  return take_fitting(rest, key, is_int, [&](const Json& j) { out = static_cast<int>(j.get<int64_t>()); });
}

bool take(Json& rest, const char* key, uint64_t& out) {
  return take_fitting(rest, key, [](const Json& j) { return j.is_number_unsigned(); }, [&](const Json& j) { out = j.get<uint64_t>(); });
}

bool take(Json& rest, const char* key, std::vector<std::string>& out) {
  return take_fitting(rest, key, is_array_of_strings, [&](const Json& j) { out = j.get<std::vector<std::string>>(); });
}

bool take_any(Json& rest, const char* key, Json& out) {
  return take_fitting(rest, key, [](const Json&) { return true; }, [&](const Json& j) { out = j; });
}

bool take_object(Json& rest, const char* key, Json& out) {
  return take_fitting(rest, key, [](const Json& j) { return j.is_object(); }, [&](const Json& j) { out = j; });
}

bool take_objects(Json& rest, const char* key, std::map<std::string, Json>& out) {
  return take_fitting(rest, key, is_object_of_objects, [&](const Json& j) {
    out.clear();
    for (const auto& [name, value] : j.items()) out[name] = value;
  });
}

Json object_or_empty(const Json& j) { return j.is_object() ? j : Json::object(); }

}  // namespace greenbench::record_json
