// Writes that never leave a half-written file: write a temp file beside the
// target, flush it to disk, then rename over the target.
#pragma once

#include <string>
#include <string_view>

namespace greenbench {

/// Replaces `path` with `content` atomically; creates parent folders.
/// Throws greenbench::Error naming the path on failure.
void write_file_atomic(const std::string& path, std::string_view content);

/// Reads a whole file; throws DataMissingError naming the path.
std::string read_file(const std::string& path);

}  // namespace greenbench
