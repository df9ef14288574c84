// Reading a JSON object into a struct without losing what the struct does not
// model: each modelled field is taken out of a copy of the object when it is
// there with a type the field can hold; what is left becomes the struct's
// `extra`, which is written first on the way back, under the typed fields.
// So a record read and written again has the same keys and values, whatever
// version or hand wrote it.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace greenbench::record_json {

using Json = nlohmann::json;

/// Each takes `key` out of the object `rest` into `out` when it is there with
/// a type `out` can hold, and says whether it did; else both stay as they are.
bool take(Json& rest, const char* key, std::string& out);
bool take(Json& rest, const char* key, double& out);    ///< any number
bool take(Json& rest, const char* key, int& out);       ///< an integer within int's range
bool take(Json& rest, const char* key, uint64_t& out);  ///< a non-negative integer
bool take(Json& rest, const char* key, std::vector<std::string>& out);
/// Any value, null included.
bool take_any(Json& rest, const char* key, Json& out);
/// An object only.
bool take_object(Json& rest, const char* key, Json& out);
/// An object of objects: {name: {...}}, as meters' readings and statuses are kept.
bool take_objects(Json& rest, const char* key, std::map<std::string, Json>& out);

template <class T>
bool take(Json& rest, const char* key, std::optional<T>& out) {
  T value{};
  if (!take(rest, key, value)) return false;
  out = std::move(value);
  return true;
}
inline bool take_any(Json& rest, const char* key, std::optional<Json>& out) {
  Json value;
  if (!take_any(rest, key, value)) return false;
  out = std::move(value);
  return true;
}
inline bool take_object(Json& rest, const char* key, std::optional<Json>& out) {
  Json value;
  if (!take_object(rest, key, value)) return false;
  out = std::move(value);
  return true;
}
inline bool take_objects(Json& rest, const char* key, std::optional<std::map<std::string, Json>>& out) {
  std::map<std::string, Json> value;
  if (!take_objects(rest, key, value)) return false;
  out = std::move(value);
  return true;
}

/// A nested struct S (with `static S from_json(const Json&)`) read from an object.
template <class S>
bool take_struct(Json& rest, const char* key, std::optional<S>& out) {
  const auto it = rest.find(key);
  if (it == rest.end() || !it->is_object()) return false;
  out = S::from_json(*it);
  rest.erase(it);
  return true;
}

/// The object itself when it is one (the start of `rest`), else an empty object.
Json object_or_empty(const Json& j);

/// Writes `value` under `key` when it is set.
template <class T>
void put(Json& j, const char* key, const std::optional<T>& value) {
  if (value) j[key] = *value;
}
template <class S>
void put_struct(Json& j, const char* key, const std::optional<S>& value) {
  if (value) j[key] = value->to_json();
}

}  // namespace greenbench::record_json
