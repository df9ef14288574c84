// The guard in front of every command that replaces a folder whole (today
// the site: `site build --out`, `bench --site`, `serve`'s rebuilds): such a
// folder must never be, contain or lie inside a results folder, never hold
// a record, and, when not empty, must be that command's own earlier output.
// Without it, `site build --out results/runs` deleted every record.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace greenbench {

struct ReplaceableFolder {
  std::string what;    ///< for messages: "the site folder"
  std::string marker;  ///< a file every earlier output holds at its top, e.g. ".greenbench-site"
  /// Recognises an earlier output written before the marker existed (may be empty).
  std::function<bool(const std::filesystem::path&)> from_before_the_marker;
};

/// `path` as the guard compares it: absolute, symbolic links resolved, then
/// "..", "." and a trailing "/" removed. A command that replaces a folder must
/// replace this path, the one checked: a link before ".." (`link/../x`) names
/// another folder as text than on disk.
std::filesystem::path resolved_folder(const std::string& path);

/// Throws greenbench::Error naming `target`, the reason and what to do,
/// unless `target` may be deleted and written anew: it is missing or an
/// empty folder, or a folder with `kind.marker` (or that kind.from_before_the_marker
/// recognises) holding no *.json file at any depth; and it is not one of
/// `results_dirs`, above one, or inside one (paths compared after resolving
/// symbolic links).
void check_replaceable_folder(const std::string& target, const std::vector<std::string>& results_dirs,
                              const ReplaceableFolder& kind);

}  // namespace greenbench
