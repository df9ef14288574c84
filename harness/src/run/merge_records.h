// `greenbench merge`: joins the records of several results folders (sweep
// shards that ran on different machines) into one, keyed by run id (task,
// method, config hash, seed). Every copy is atomic; a file that report and
// site build could not read (record_reader.h) is refused with its path and
// the reason, never copied, and the merge goes on.
#pragma once

#include <string>
#include <vector>

namespace greenbench {

struct MergeReport {
  int copied = 0;            ///< records new to the output
  int already_there = 0;     ///< the same run, already in the output with the same results
  int temp_files = 0;        ///< *.tmp.* left by a killed writer: ignored
  std::vector<std::string> conflicts;  ///< the same run with different results: the first kept, the others named here
  std::vector<std::string> refused;    ///< "path: why" for files that are not records
  bool ok() const { return conflicts.empty() && refused.empty(); }
};

/// Merges every *.json record under each of `inputs` (recursively) into
/// `out`/<task>/<run id>.json. Two records of one run agree when their
/// accuracy, macro-F1 and FLOPs agree at every operating point; timings
/// may differ (they are measurements, not results).
MergeReport merge_records(const std::vector<std::string>& inputs, const std::string& out);

}  // namespace greenbench
