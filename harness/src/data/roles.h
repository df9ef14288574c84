// Which split plays which role in a run: train, calibration (temperature
// fitting and model selection) and test (the reported evaluation).
//
// Where a task's folder has a test file, calibrate on dev and report on test.
// Where it has none (the shared data today), report on dev and calibrate on a
// seeded carve-out of train, so dev is never used twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "greenbench/task.h"

namespace greenbench {

struct RoleOptions {
  double calibration_fraction = 0.1;  ///< share of train carved out when there is no test file
  uint64_t seed = 13;                 ///< seeds the carve-out and the subsampling
  size_t max_train = 0;               ///< 0: all; else a seeded subsample of the training role
  size_t max_calibration = 0;         ///< 0: all
  size_t max_test = 0;                ///< 0: all
};

struct TaskData {
  Split train, calibration, test;
  /// Where each role came from, in words, for the record
  /// (e.g. "dev", "train carve-out 10% (seed 13, stratified)", "train minus carve-out, subsample 4000 (seed 13)").
  std::string train_source, calibration_source, test_source;
};

/// Loads and assigns the roles. Throws DataMissingError naming where it looked
/// and how to get the data (greenbench data fetch TASK), or Error when the test
/// role's file has no labels (GLUE's SST-2 test.tsv).
TaskData load_task_data(const Task& task, const std::string& data_root, const RoleOptions& options);

/// --data if given, else $GREENBENCH_DATA, else ./data.
std::string resolve_data_root(const std::string& flag_value);

}  // namespace greenbench
