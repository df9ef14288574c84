#include "cli/validate_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "greenbench/error.h"
#include "util/atomic_file.h"

namespace greenbench {

namespace fs = std::filesystem;

nlohmann::json dataset_hashes_with(const std::string& file) {
  nlohmann::json hashes = builtin_dataset_hashes();
  if (file.empty()) return hashes;
  const nlohmann::json extra = nlohmann::json::parse(read_file(file));
  if (!extra.contains("tasks") || !extra["tasks"].is_object())
    throw Error(file + ": expected {\"tasks\": {task: {version: {file: sha256}}}}");
  for (const auto& [task, versions] : extra["tasks"].items()) {
    for (const auto& [version, files] : versions.items()) hashes["tasks"][task][version] = files;
  }
  return hashes;
}

int validate_command(const std::vector<std::string>& paths, const ValidationOptions& options) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
      }
    } else {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::string> first_of_key;
  int failed = 0, warned = 0;
  for (const auto& file : files) {
    RecordValidation v;
    std::error_code size_error;
    const auto size = fs::file_size(file, size_error);
    if (size_error) {
      v.errors.push_back("cannot read: " + size_error.message());
    } else if (size > options.max_bytes) {
      // Refused by its size alone: a huge file is never read into memory.
      v.errors.push_back("refused unread: " + std::to_string(size) + " bytes, over the limit of " +
                         std::to_string(options.max_bytes));
    } else {
      v = validate_record_text(read_file(file), options);
    }
    if (v.ok() && !v.duplicate_key.empty()) {
      const auto [it, fresh] = first_of_key.emplace(v.duplicate_key, file);
      if (!fresh) v.errors.push_back("duplicate of " + it->second + " (same task, method, config hash, seed and hardware)");
    }
    std::printf("%s %s\n", v.ok() ? "ok  " : "FAIL", file.c_str());
    for (const auto& e : v.errors) std::printf("     error: %s\n", e.c_str());
    for (const auto& w : v.warnings) std::printf("     warning: %s\n", w.c_str());
    failed += v.ok() ? 0 : 1;
    warned += v.warnings.empty() ? 0 : 1;
  }
  std::printf("%zu records: %zu valid, %d invalid, %d with warnings\n", files.size(), files.size() - failed, failed, warned);
  return failed == 0 && !files.empty() ? 0 : 1;
}

}  // namespace greenbench
