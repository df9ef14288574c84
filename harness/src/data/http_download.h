// Internal to greenbench_data: the downloader behind download_file, which also
// tells fetch_task_data whether anything was fetched.
#pragma once

#include <string>

#include "data/fetch.h"

namespace greenbench::detail {

enum class DownloadOutcome { kDownloaded, kAlreadyPresent };

/// download_file, saying whether dest was fetched or was already in place.
DownloadOutcome download_file_checked(const std::string& url, const std::string& dest,
                                      const std::string& sha256, const FetchOptions& options);

}  // namespace greenbench::detail
