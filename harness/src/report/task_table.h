// The per-task table printed by `greenbench run` and `bench`: every
// operating point of every record with its accuracy, FLOPs/instance, batch-1
// latency and speed-ups against the reference method's full-depth point among
// the same records (the method that provides the base model: the standard one).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "record/run_record.h"

namespace greenbench {

/// Method, setting, accuracy, macro-F1, MFLOPs/instance, speed-up in FLOPs,
/// median batch-1 latency and its speed-up, speed-up of the batched pass.
/// Speed-ups are against the last point of `reference_method`'s record
/// (blank when the records hold none).
std::string task_table_text(const std::string& task, const std::vector<RunRecord>& records,
                            const std::string& reference_method);

/// The same for records as the runner returns them (JSON); throws
/// greenbench::Error for one the reader check refuses.
std::string format_task_table(const std::string& task, const std::vector<nlohmann::json>& records,
                              const std::string& reference_method);

}  // namespace greenbench
