// The per-task table printed by `greenbench run` and `bench`: every
// operating point of every record with its accuracy, FLOPs/instance, batch-1
// latency and speed-ups against the standard model of the same records.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace greenbench {

/// Method, setting, accuracy, macro-F1, MFLOPs/instance, speed-up in FLOPs,
/// median batch-1 latency and its speed-up, speed-up of the batched pass.
std::string format_task_table(const std::string& task, const std::vector<nlohmann::json>& records);

}  // namespace greenbench
