// Writes that never leave a half-written file: write a temp file beside the
// target, flush it to disk, then rename over the target. A killed writer
// leaves its temp file behind, named for its machine and process
// (<name>.tmp.<host>.<pid>), so that a later writer on the same machine can
// tell it is dead and remove it; readers never take a *.tmp.* file for a record.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace greenbench {

/// Replaces `path` with `content` atomically; creates parent folders. The
/// first write of a process into a folder also removes the temp files of
/// dead writers there. Throws greenbench::Error naming the path on failure.
void write_file_atomic(const std::string& path, std::string_view content);

/// Reads a whole file; throws DataMissingError naming the path.
std::string read_file(const std::string& path);

/// "<path>.<kind>.<host>.<pid>": where this process keeps its unfinished
/// version of `path` (kind "tmp" for files, "building" for a site folder...).
std::string writer_scratch_name(const std::string& path, const std::string& kind);

/// True when file name `name` is a scratch name of kind `kind` (see
/// writer_scratch_name) of a process on this machine that is no longer
/// running. Names of other machines (a results folder on a shared file
/// system) and the older "<name>.<kind>.<pid>", which names no machine, are
/// never dead here. (Two containers sharing a host name but not a process
/// namespace would take each other's writers for dead: give them distinct
/// host names.)
bool is_dead_writers_scratch(const std::string& name, const std::string& kind);

/// Removes the *.tmp.* files of dead writers directly in `dir` (not below);
/// returns how many. Never throws.
std::size_t remove_dead_writers_temp_files(const std::string& dir);

}  // namespace greenbench
