// Internal to greenbench_data: the unpacker behind unpack_archive, which also
// reports what it extracted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace greenbench::detail {

/// What one unpack_archive call put into its destination.
struct UnpackResult {
  std::vector<std::string> top_level;  ///< names directly under dest_dir, sorted
  int64_t files = 0;                   ///< regular files (and links) extracted
  int64_t bytes = 0;                   ///< their total size
};

/// unpack_archive, returning what was extracted.
UnpackResult unpack_archive_listed(const std::string& archive, const std::string& dest_dir);

}  // namespace greenbench::detail
