// The record naming rule (record_path.h).
#include "record/record_path.h"

namespace greenbench {

std::string record_run_id(const std::string& task, const std::string& method, const std::string& key, uint64_t seed) {
  return task + "-" + method + "-" + key + "-s" + std::to_string(seed);
}

std::string record_file_path(const std::string& results_dir, const std::string& task, const std::string& method,
                             const std::string& key, uint64_t seed) {
  return results_dir + "/" + task + "/" + record_run_id(task, method, key, seed) + ".json";
}

}  // namespace greenbench
