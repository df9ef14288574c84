#include "report/replaceable_folder.h"

#include <algorithm>

#include "greenbench/error.h"

namespace greenbench {
namespace {

namespace fs = std::filesystem;


// True when `inner` is `outer` or lies below it.
bool within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin(), o = outer.begin();
  for (; o != outer.end(); ++i, ++o) {
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

// The first *.json file below `dir`, or "" when none.
std::string first_json_file(const fs::path& dir) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    std::error_code type_error;
    if (it->path().extension() == ".json" && !it->is_directory(type_error)) return it->path().string();
  }
  return "";
}

}  // namespace

fs::path resolved_folder(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
  if (ec) p = fs::absolute(path);
  p = p.lexically_normal();
  if (p.filename().empty() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();  // "dir/" -> "dir"
  return p;
}

void check_replaceable_folder(const std::string& target, const std::vector<std::string>& results_dirs,
                              const ReplaceableFolder& kind) {
  const fs::path out = resolved_folder(target);
  const std::string refused = "refusing to replace " + kind.what + " " + target + ": ";
  for (const auto& results : results_dirs) {
    if (results.empty()) continue;
    const fs::path in = resolved_folder(results);
    if (in == out) throw Error(refused + "it is the results folder it reads; choose another folder for the output");
    if (within(in, out))
      throw Error(refused + "it holds the results folder " + results + ", whose records would be deleted with it; " +
                  "choose a folder beside it");
    if (within(out, in))
      throw Error(refused + "it lies inside the results folder " + results + "; choose a folder outside it");
  }
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(out, ec);
  if (ec || !fs::exists(status)) return;  // nothing there to lose
  if (!fs::is_directory(status)) throw Error(refused + "it is not a folder");
  if (fs::directory_iterator(out, ec) == fs::directory_iterator()) {
    if (ec) throw Error(refused + "cannot read it: " + ec.message());
    return;  // empty
  }
  const bool earlier_output = fs::exists(out / kind.marker, ec) ||
                              (kind.from_before_the_marker && kind.from_before_the_marker(out));
  if (!earlier_output)
    throw Error(refused + "it is not empty and has no " + kind.marker + " file (greenbench puts one in every such " +
                "folder it writes); give a new or empty folder, or empty this one yourself");
  // Only walked once it looks like an earlier output: a site is small, and
  // a stray folder (home, say) was refused above without reading it all.
  if (const std::string record = first_json_file(out); !record.empty())
    throw Error(refused + "it holds " + record + ", which may be a record; move the records out of it first");
}

}  // namespace greenbench
