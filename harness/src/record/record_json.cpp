// Taking typed fields out of JSON objects (record_json.h).
#include "record/record_json.h"

#include <limits>

namespace greenbench::record_json {
namespace {

// The value under `key` when `fits` accepts it, taken out of `rest`.
template <class Fits>
const Json* find_fitting(const Json& rest, const char* key, Fits fits) {
  if (!rest.is_object()) return nullptr;
  const auto it = rest.find(key);
  return it != rest.end() && fits(*it) ? &*it : nullptr;
}

}  // namespace

bool take(Json& rest, const char* key, std::string& out) {
  const Json* v = find_fitting(rest, key, [](const Json& j) { return j.is_string(); });
  if (!v) return false;
  out = v->get<std::string>();
  rest.erase(key);
  return true;
}

bool take(Json& rest, const char* key, double& out) {
  const Json* v = find_fitting(rest, key, [](const Json& j) { return j.is_number(); });
  if (!v) return false;
  out = v->get<double>();
  rest.erase(key);
  return true;
}

bool take(Json& rest, const char* key, int& out) {
  const Json* v = find_fitting(rest, key, [](const Json& j) {
    if (j.is_number_unsigned()) return j.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int>::max());
    return j.is_number_integer() && j.get<int64_t>() >= std::numeric_limits<int>::min() &&
           j.get<int64_t>() <= std::numeric_limits<int>::max();
  });
  if (!v) return false;
  out = static_cast<int>(v->get<int64_t>());
  rest.erase(key);
  return true;
}

bool take(Json& rest, const char* key, uint64_t& out) {
  const Json* v = find_fitting(rest, key, [](const Json& j) { return j.is_number_unsigned(); });
  if (!v) return false;
  out = v->get<uint64_t>();
  rest.erase(key);
  return true;
}

bool take(Json& rest, const char* key, std::vector<std::string>& out) {
  const Json* v = find_fitting(rest, key, [](const Json& j) {
    if (!j.is_array()) return false;
    for (const auto& e : j)
      if (!e.is_string()) return false;
    return true;
  });
  if (!v) return false;
  out = v->get<std::vector<std::string>>();
  rest.erase(key);
  return true;
}

bool take_any(Json& rest, const char* key, Json& out) {
  const Json* v = find_fitting(rest, key, [](const Json&) { return true; });
  if (!v) return false;
  out = *v;
  rest.erase(key);
  return true;
}

bool take_object(Json& rest, const char* key, Json& out) {
  const Json* v = find_fitting(rest, key, [](const Json& j) { return j.is_object(); });
  if (!v) return false;
  out = *v;
  rest.erase(key);
  return true;
}

bool take_objects(Json& rest, const char* key, std::map<std::string, Json>& out) {
  const Json* v = find_fitting(rest, key, [](const Json& j) {
    if (!j.is_object()) return false;
    for (const auto& [name, value] : j.items())
      if (!value.is_object()) return false;
    return true;
  });
  if (!v) return false;
  out.clear();
  for (const auto& [name, value] : v->items()) out[name] = value;
  rest.erase(key);
  return true;
}

Json object_or_empty(const Json& j) { return j.is_object() ? j : Json::object(); }

}  // namespace greenbench::record_json
