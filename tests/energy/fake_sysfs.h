// Fake powercap trees for the energy tests: zones with counters the test
// sets, written so that a sampler reading concurrently never sees half a file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "support/temp_dir.h"

namespace greenbench::testing {

/// Replaces `path` with `content` by rename, so a concurrent reader sees the old or the new value.
inline void replace_file(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".new";
  write_file(tmp, content);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot rename " + tmp + " to " + path);
}

/// A zone folder `root`/`id` with name, energy_uj and (when max_uj > 0) max_energy_range_uj.
inline std::string write_zone(const std::string& root, const std::string& id, const std::string& name,
                              uint64_t energy_uj, uint64_t max_uj) {
  const std::string dir = root + "/" + id;
  write_file(dir + "/name", name + "\n");
  write_file(dir + "/energy_uj", std::to_string(energy_uj) + "\n");
  if (max_uj > 0) write_file(dir + "/max_energy_range_uj", std::to_string(max_uj) + "\n");
  return dir;
}

inline void set_counter(const std::string& zone_dir, uint64_t energy_uj) {
  replace_file(zone_dir + "/energy_uj", std::to_string(energy_uj) + "\n");
}

}  // namespace greenbench::testing
