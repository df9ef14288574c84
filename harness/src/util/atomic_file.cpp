#include "util/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "greenbench/error.h"

namespace greenbench {
namespace {

namespace fs = std::filesystem;

const std::string& this_host() {
  static const std::string host = [] {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return std::string("localhost");
    std::string h(name);
    // A file name part: no separators.
    std::replace(h.begin(), h.end(), '/', '_');
    return h;
  }();
  return host;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos;
}

bool process_is_gone(long pid) {
  if (pid <= 0 || pid == static_cast<long>(::getpid())) return false;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

// Each folder is swept once per process: a site build writes thousands of
// files into one folder and must not read it thousands of times.
void sweep_once(const fs::path& dir) {
  static std::mutex mutex;
  static std::set<std::string> swept;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!swept.insert(dir.string()).second) return;
  }
  remove_dead_writers_temp_files(dir.empty() ? "." : dir.string());
}

}  // namespace

std::string writer_scratch_name(const std::string& path, const std::string& kind) {
  return path + "." + kind + "." + this_host() + "." + std::to_string(::getpid());
}

bool is_dead_writers_scratch(const std::string& name, const std::string& kind) {
  const std::string infix = "." + kind + ".";
  const size_t at = name.rfind(infix);
  if (at == std::string::npos || at == 0) return false;
  const std::string rest = name.substr(at + infix.size());
  // The older "<kind>.<pid>" names say no machine, so they may belong to a
  // live writer elsewhere on a shared folder: left alone (no reader takes them).
  const size_t dot = rest.rfind('.');
  if (dot == std::string::npos || rest.substr(0, dot) != this_host() || !all_digits(rest.substr(dot + 1))) return false;
  return process_is_gone(std::stol(rest.substr(dot + 1)));
}

std::size_t remove_dead_writers_temp_files(const std::string& dir) {
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_error;
    if (!it->is_regular_file(type_error) || !is_dead_writers_scratch(name, "tmp")) continue;
    std::error_code remove_error;
    if (fs::remove(it->path(), remove_error)) ++removed;
  }
  return removed;
}

void write_file_atomic(const std::string& path, std::string_view content) {
  fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  sweep_once(target.parent_path());
  const std::string tmp = writer_scratch_name(path, "tmp");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot write " + tmp + ": " + std::strerror(errno));
  const char* data = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw Error("cannot write " + tmp + ": " + std::strerror(err));
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  // fsync before rename: after a crash the target is the old or the new file.
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw Error("cannot flush " + tmp + ": " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Error("cannot rename " + tmp + " to " + path + ": " + std::strerror(err));
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataMissingError("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace greenbench
