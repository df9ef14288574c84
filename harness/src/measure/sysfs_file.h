// Reading the small text files of sysfs and procfs (powercap zones, perf PMUs,
// kernel settings) so that a failure keeps its errno: "Permission denied" on
// energy_uj is the answer the record must carry, not a silent zero.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace greenbench {

/// What reading one small file gave: its text, or errno and a message naming the path.
struct SmallFileRead {
  std::string text;
  int error = 0;        ///< errno of the failing call; 0 on success
  std::string message;  ///< "cannot read PATH: <errno text>" on failure
  bool ok() const { return error == 0; }
};

/// The text of errno `error` ("Permission denied"); thread-safe, unlike strerror.
inline std::string errno_text(int error) { return std::generic_category().message(error); }

/// Reads a whole small file (sysfs attributes are at most a page).
inline SmallFileRead read_small_file(const std::string& path) {
  SmallFileRead result;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    result.error = errno;
  } else {
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) {
        result.text.append(buffer, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) result.error = errno;  // EISDIR, EACCES from a sysfs show(), EIO...
      break;
    }
    ::close(fd);
  }
  if (result.error != 0) {
    result.message = "cannot read " + path + ": " + errno_text(result.error);
    result.text.clear();
  }
  return result;
}

/// `text` without leading and trailing whitespace (sysfs values end in '\n').
inline std::string_view trim_whitespace(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

/// A decimal unsigned integer filling the whole (trimmed) text, or nothing.
inline std::optional<uint64_t> parse_decimal_u64(std::string_view text) {
  text = trim_whitespace(text);
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace greenbench
