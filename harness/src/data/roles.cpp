#include "data/roles.h"

#include <cstdlib>

namespace greenbench {

std::string resolve_data_root(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("GREENBENCH_DATA"); env && *env) return env;
  return "data";
}

}  // namespace greenbench
