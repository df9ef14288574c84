// The config hash's settings JSON, built from the rows of the settings table.
#include "settings/hashed_settings.h"

#include "settings/settings_table.h"

namespace greenbench {

using Json = nlohmann::json;

int config_hash_scheme_of(const Json& record) {
  if (!record.is_object() || !record.contains("config_hash_scheme")) return 1;
  return record.at("config_hash_scheme").get<int>();
}

Json hashed_settings_json(const RunSettings& s) {
  Json j = Json::object();
  for (const auto& row : settings_table()) {
    if (row.hashed(s)) j[Json::json_pointer(row.hash_path)] = row.json_value(s);
  }
  for (const auto& fact : hashed_facts()) {
    if (!fact.hashed_when || fact.hashed_when(s)) j[Json::json_pointer(fact.hash_path)] = fact.value;
  }
  return j;
}

}  // namespace greenbench
