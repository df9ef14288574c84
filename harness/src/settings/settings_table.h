// The settings table: every setting of a run, one row each (settings_table.cpp).
// Adding a setting is adding a row there; the command line, suite keys,
// range validation and the config hash read it from the table.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "settings/setting.h"

namespace greenbench {

/// Every setting, in the order the command line's --help lists them.
const std::vector<Setting>& settings_table();

/// The row that answers to `key` (its name or an old name), or null.
const Setting* find_setting(const std::string& key);

/// A fixed fact of the training code that the config hash covers beside the
/// settings ("/train/optimizer": "AdamW(...)"): changing the code's optimizer
/// must change the hash of every run trained with it.
struct HashedFact {
  std::string hash_path;
  nlohmann::json value;
  std::function<bool(const RunSettings&)> hashed_when;  ///< null: always
};
const std::vector<HashedFact>& hashed_facts();

}  // namespace greenbench
