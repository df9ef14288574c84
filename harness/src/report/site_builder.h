// `greenbench site build`: records -> a self-contained static leaderboard
// folder: the bundled front end (web/, built by npm at build time), the
// leaderboard data as data/leaderboard.js and each record as runs/<id>.js
// (script files, so the site works from file:// too). Built beside the
// target and swapped in by rename, so a reader never sees half a site; the
// target is replaced only when that cannot lose a record
// (replaceable_folder.h), and a marker file says a folder is a site.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/leaderboard_data.h"

namespace greenbench {

struct SiteBuild {
  size_t records = 0, rows = 0;
  std::vector<std::string> skipped;  ///< "path: why" for files that are not records
};

/// The folder the front end was bundled into at build time (${CMAKE_BINARY_DIR}/web/dist).
std::string default_web_dist();

/// The file every site folder holds at its top: a later build may replace the folder.
extern const char* const kSiteMarker;

/// Throws greenbench::Error unless `out_dir` may be replaced by a site of
/// `results_dir`: see check_replaceable_folder. Commands call it before
/// they start work that ends with a site build (bench, serve).
void check_site_folder(const std::string& out_dir, const std::string& results_dir);

/// Throws greenbench::Error when `results_dir` is not an existing folder,
/// when check_site_folder refuses `out_dir`, or without a built front end.
/// Removes the staging folders of dead earlier builds beside `out_dir`.
SiteBuild build_site(const std::string& results_dir, const std::string& out_dir, const std::string& web_dist,
                     const LeaderboardOptions& options = {});

/// A shell command that reruns this record's run with its settings.
std::string reproduce_command(const RunRecord& record);

/// `value` as a JavaScript statement `window.<name> = <json>;` (ASCII-only JSON).
std::string as_script(const std::string& name, const nlohmann::json& value);

}  // namespace greenbench
