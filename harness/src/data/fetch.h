// Downloading the canonical dataset archives: libcurl with resume and retries,
// sha256 verification, and atomic unpacking with libarchive.
#pragma once

#include <string>

#include "greenbench/task.h"

namespace greenbench {

struct FetchOptions {
  int max_attempts = 4;            ///< tries per file, with back-off between them
  long connect_timeout_s = 30;
  long stall_timeout_s = 60;       ///< give up on a transfer slower than 1 byte/s for this long
  bool progress = true;
  double retry_delay_s = 1.0;      ///< first back-off; doubles after each failed try, capped at 60 s
};

/// Downloads url to dest. Partial data is kept in dest + ".part" and resumed
/// with an HTTP Range request; the file is checked against sha256 (hex; empty
/// to skip) and only then renamed to dest. Throws greenbench::Error saying
/// what failed (HTTP status, curl's message, checksum mismatch).
void download_file(const std::string& url, const std::string& dest, const std::string& sha256,
                   const FetchOptions& options);

/// Unpacks an archive (tar, tar.gz, zip, ...) into dest_dir: extracts into a
/// temporary sibling folder, then renames, so dest_dir is complete or absent.
/// If dest_dir already exists, each top-level entry of the archive replaces
/// its namesake there by one rename; other entries of dest_dir are kept.
/// Refuses entries that would escape dest_dir (absolute paths, "..", symlinks
/// pointing outside) and leaves nothing behind on failure.
void unpack_archive(const std::string& archive, const std::string& dest_dir);

/// Fetches every source of `task` into data_root/task.name(): downloads to
/// downloads/<file_name> (kept, so a rerun skips it), then unpacks archives
/// into the task folder and copies plain files there. Prints what it did.
void fetch_task_data(const Task& task, const std::string& data_root, const FetchOptions& options);

}  // namespace greenbench
