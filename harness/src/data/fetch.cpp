// `greenbench data fetch`: downloads each canonical source of a task into
// DATA/<task>/downloads/ and unpacks (or copies) it into DATA/<task>/.
#include "data/fetch.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "data/archive.h"
#include "data/http_download.h"
#include "greenbench/error.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace greenbench {
namespace {
namespace fs = std::filesystem;

// A source's file name becomes a path component: it must stay one.
void check_file_name(const Task& task, const DataSource& source) {
  const std::string& n = source.file_name;
  if (n.empty() || n == "." || n == ".." || n.find('/') != std::string::npos)
    throw Error("task " + task.name() + ": source " + source.url + " has an unusable file name \"" + n + "\"");
}

// downloads/<file>.unpacked records which archive was unpacked and what it
// produced, so a rerun does not extract (possibly 100k files) again.
std::string unpack_record(const std::string& archive_sha, const std::vector<std::string>& top_level) {
  std::string out = archive_sha + "\n";
  for (const auto& name : top_level) out += name + "\n";
  return out;
}

bool already_unpacked(const fs::path& record, const std::string& archive_sha, const fs::path& task_dir) {
  std::error_code ec;
  if (!fs::is_regular_file(record, ec)) return false;
  std::istringstream in(read_file(record.string()));
  std::string line;
  if (!std::getline(in, line) || line != archive_sha) return false;
  bool any = false;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (!fs::exists(fs::symlink_status(task_dir / line, ec))) return false;
    any = true;
  }
  return any;
}

void copy_into_place(const fs::path& from, const fs::path& to) {
  fs::path tmp = to;
  tmp += ".copying-" + std::to_string(::getpid());
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing);
  fs::rename(tmp, to);
}

}  // namespace

void download_file(const std::string& url, const std::string& dest, const std::string& sha256,
                   const FetchOptions& options) {
  detail::download_file_checked(url, dest, sha256, options);
}

void unpack_archive(const std::string& archive, const std::string& dest_dir) {
  detail::unpack_archive_listed(archive, dest_dir);
}

void fetch_task_data(const Task& task, const std::string& data_root, const FetchOptions& options) {
  const std::string name = task.name();
  const fs::path task_dir = fs::path(data_root) / name;
  const fs::path downloads = task_dir / "downloads";
  const std::vector<DataSource> sources = task.sources();
  if (sources.empty()) {
    std::printf("%s: nothing to download (the task lists no sources)\n", name.c_str());
    return;
  }
  try {
    for (const DataSource& source : sources) {
      check_file_name(task, source);
      const fs::path file = downloads / source.file_name;
      auto outcome = detail::download_file_checked(source.url, file.string(), source.sha256, options);
      std::printf("%s: %s %s\n", name.c_str(),
                  outcome == detail::DownloadOutcome::kDownloaded ? "downloaded" : "already have", file.c_str());
      std::fflush(stdout);

      if (!source.is_archive) {
        copy_into_place(file, task_dir / source.file_name);
        std::printf("%s: copied %s into %s\n", name.c_str(), source.file_name.c_str(), task_dir.c_str());
        continue;
      }
      const std::string archive_sha = source.sha256.empty() ? sha256_file(file.string()) : source.sha256;
      fs::path record = downloads / (source.file_name + ".unpacked");
      if (already_unpacked(record, archive_sha, task_dir)) {
        std::printf("%s: %s is already unpacked in %s\n", name.c_str(), source.file_name.c_str(), task_dir.c_str());
        continue;
      }
      detail::UnpackResult r = detail::unpack_archive_listed(file.string(), task_dir.string());
      write_file_atomic(record.string(), unpack_record(archive_sha, r.top_level));
      std::string what;
      for (const auto& top : r.top_level) what += (what.empty() ? "" : ", ") + top;
      std::printf("%s: unpacked %lld files (%lld bytes) into %s: %s\n", name.c_str(),
                  static_cast<long long>(r.files), static_cast<long long>(r.bytes), task_dir.c_str(), what.c_str());
    }
  } catch (const fs::filesystem_error& e) {
    throw Error("cannot fetch the data of " + name + " into " + task_dir.string() + ": " + e.what());
  }
  std::printf("%s: data ready in %s\n", name.c_str(), task_dir.c_str());
  std::fflush(stdout);
}

}  // namespace greenbench
