#include "run/merge_records.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "greenbench/error.h"
#include "record/record_reader.h"
#include "util/atomic_file.h"

namespace greenbench {
namespace {

namespace fs = std::filesystem;

// What a run computed, as opposed to how long it took: two records of the
// same run must agree on this.
nlohmann::json results_of(const RunRecord& record) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : record.operating_points) {
    // macro_f1 as written: a number, null, or absent (null here too).
    const nlohmann::json f1 = p.macro_f1 ? nlohmann::json(*p.macro_f1) : p.extra.value("macro_f1", nlohmann::json());
    points.push_back({p.name, p.accuracy, f1, p.flops_per_instance});
  }
  return points;
}

// The record's run id and task, checked to be safe as file names.
std::pair<std::string, std::string> key_of(const RunRecord& record) {
  const std::string& run_id = record.run_id;
  const std::string& task = record.task.name;
  for (const std::string& part : {run_id, task}) {
    if (part.empty() || part.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
                            std::string::npos || part[0] == '.') {
      throw Error("run id or task name '" + part + "' is not a plain file name");
    }
  }
  return {task, run_id};
}

}  // namespace

MergeReport merge_records(const std::vector<std::string>& inputs, const std::string& out) {
  MergeReport report;
  for (const auto& input : inputs) {
    if (!fs::is_directory(input)) throw Error("merge: '" + input + "' is not a folder");
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(input)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());  // the same report on every file system
    for (const auto& file : files) {
      const std::string name = file.filename().string();
      if (name.find(".tmp.") != std::string::npos) {
        ++report.temp_files;
        continue;
      }
      if (file.extension() != ".json") continue;
      // Read like report and site build read it: a record they would skip is not merged.
      const RecordFile read = read_record_file(file.string());
      if (!read.ok()) {
        report.refused.push_back(file.string() + ": " + read.problem);
        continue;
      }
      try {
        const std::string& text = read.text;
        const RunRecord& record = read.run;
        const auto [task, run_id] = key_of(record);
        const std::string target = out + "/" + task + "/" + run_id + ".json";
        if (fs::exists(target)) {
          const RecordFile there = read_record_file(target);
          if (!there.ok()) {
            report.refused.push_back(file.string() + ": run " + run_id + " is already in " + target +
                                     ", which cannot be read (" + there.problem + "); left as it is");
          } else if (results_of(there.run) == results_of(record)) {
            ++report.already_there;
          } else {
            report.conflicts.push_back(file.string() + ": run " + run_id + " is already in " + target +
                                       " with different results; kept that one");
          }
          continue;
        }
        write_file_atomic(target, text);
        ++report.copied;
      } catch (const std::exception& e) {
        report.refused.push_back(file.string() + ": " + e.what());
      }
    }
  }
  return report;
}

}  // namespace greenbench
