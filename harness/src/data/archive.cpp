// Unpacking dataset archives with libarchive. Every entry is checked to stay
// inside the destination before anything is written; extraction goes to a
// temporary sibling folder that is renamed into place only when complete.
#include "data/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include "data/fetch.h"
#include "greenbench/error.h"

namespace greenbench::detail {
namespace {
namespace fs = std::filesystem;

constexpr size_t kReadBlock = 1 << 16;

struct ReadCloser {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
struct WriteCloser {
  void operator()(struct archive* a) const { archive_write_free(a); }
};
using ReadArchive = std::unique_ptr<struct archive, ReadCloser>;
using WriteArchive = std::unique_ptr<struct archive, WriteCloser>;

// Removes a folder tree on scope exit unless released: a failed unpack leaves nothing.
class TempDirGuard {
 public:
  explicit TempDirGuard(fs::path path) : path_(std::move(path)) {}
  ~TempDirGuard() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDirGuard(const TempDirGuard&) = delete;
  TempDirGuard& operator=(const TempDirGuard&) = delete;
  void release() { path_.clear(); }

 private:
  fs::path path_;
};

std::string message_of(struct archive* a) {
  const char* s = archive_error_string(a);
  return s != nullptr ? s : "unknown libarchive error";
}

[[noreturn]] void throw_corrupt(const std::string& archive, struct archive* a) {
  throw Error("cannot unpack " + archive + ": the archive is corrupt or not an archive (" + message_of(a) + ")");
}

// The entry's path relative to the destination, with "." parts dropped.
// Throws if it is absolute or has a ".." part: it could land outside.
fs::path checked_relative(const std::string& archive, const std::string& name) {
  if (name.empty()) throw Error("cannot unpack " + archive + ": it has an entry without a name");
  if (name.front() == '/')
    throw Error("cannot unpack " + archive + ": entry \"" + name +
                "\" has an absolute path; refusing to write outside the destination");
  fs::path out;
  for (const fs::path& part : fs::path(name)) {
    if (part == "..")
      throw Error("cannot unpack " + archive + ": entry \"" + name +
                  "\" contains '..'; refusing to write outside the destination");
    if (part.empty() || part == ".") continue;
    out /= part;
  }
  return out;
}

// A symlink may point up only with leading ".." parts, and no higher than the
// destination; any ".." after a name could climb out through another symlink.
void check_symlink_target(const std::string& archive, const fs::path& entry, const std::string& target) {
  auto refuse = [&](const std::string& why) {
    throw Error("cannot unpack " + archive + ": symlink \"" + entry.string() + "\" -> \"" + target + "\" " + why +
                "; refusing to extract it");
  };
  if (target.empty()) refuse("has an empty target");
  if (target.front() == '/') refuse("points to an absolute path");
  int depth = 0;
  for (const fs::path& part : entry.parent_path()) {
    if (!part.empty() && part != ".") ++depth;
  }
  bool seen_name = false;
  for (const fs::path& part : fs::path(target)) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (seen_name) refuse("has '..' after a folder name");
      if (--depth < 0) refuse("points outside the destination");
    } else {
      seen_name = true;
    }
  }
}

// A hard link must not reach its target through a symlink already extracted.
void check_hardlink_target(const std::string& archive, const fs::path& root, const fs::path& target) {
  fs::path at = root;
  for (const fs::path& part : target) {
    at /= part;
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(at, ec)))
      throw Error("cannot unpack " + archive + ": hard link to \"" + target.string() +
                  "\" goes through a symlink; refusing to extract it");
  }
}

int64_t copy_data(const std::string& archive, struct archive* in, struct archive* out, const fs::path& rel) {
  int64_t copied = 0;
  for (;;) {
    const void* buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int r = archive_read_data_block(in, &buf, &size, &offset);
    if (r == ARCHIVE_EOF) return copied;
    if (r < ARCHIVE_WARN) throw_corrupt(archive, in);
    if (archive_write_data_block(out, buf, size, offset) < ARCHIVE_WARN)
      throw Error("cannot unpack " + archive + ": cannot write " + rel.string() + ": " + message_of(out));
    copied += static_cast<int64_t>(size);
  }
}

// Extracts every entry of `archive` below `root` (an existing, canonical folder).
UnpackResult extract_all(const std::string& archive, const fs::path& root) {
  ReadArchive in(archive_read_new());
  WriteArchive out(archive_write_disk_new());
  if (!in || !out) throw Error("cannot unpack " + archive + ": out of memory");
  archive_read_support_filter_all(in.get());
  archive_read_support_format_all(in.get());
  // Paths are checked above and made absolute under root, so the dot-dot guard
  // is a second line of defence; the symlink guard stops an entry being written
  // through a symlink that an earlier entry created.
  archive_write_disk_set_options(out.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                                ARCHIVE_EXTRACT_SECURE_NODOTDOT);
  // The file is known to exist: failing here means its format or compression is unreadable.
  if (archive_read_open_filename(in.get(), archive.c_str(), kReadBlock) != ARCHIVE_OK)
    throw_corrupt(archive, in.get());

  UnpackResult result;
  std::set<std::string> top_level;
  int64_t entries = 0;
  for (;;) {
    struct archive_entry* entry = nullptr;
    int r = archive_read_next_header(in.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) throw_corrupt(archive, in.get());
    if (r == ARCHIVE_WARN) std::fprintf(stderr, "warning: %s: %s\n", archive.c_str(), message_of(in.get()).c_str());
    ++entries;

    const char* raw_name = archive_entry_pathname(entry);
    if (raw_name == nullptr) raw_name = archive_entry_pathname_utf8(entry);
    const std::string name = raw_name != nullptr ? raw_name : "";
    const fs::path rel = checked_relative(archive, name);
    if (rel.empty()) continue;  // "./" itself

    const mode_t type = archive_entry_filetype(entry);
    const char* hardlink = archive_entry_hardlink(entry);
    if (hardlink != nullptr) {
      fs::path link_rel = checked_relative(archive, hardlink);
      if (link_rel.empty()) throw Error("cannot unpack " + archive + ": hard link \"" + name + "\" has no target");
      check_hardlink_target(archive, root, link_rel);
      archive_entry_set_hardlink(entry, (root / link_rel).c_str());
    } else if (type == AE_IFLNK) {
      const char* target = archive_entry_symlink(entry);
      check_symlink_target(archive, rel, target != nullptr ? target : "");
    } else if (type != AE_IFREG && type != AE_IFDIR) {
      // Devices, fifos and sockets have no place in a dataset.
      std::fprintf(stderr, "warning: %s: skipping \"%s\", which is not a file, folder or link\n", archive.c_str(),
                   name.c_str());
      continue;
    }
    archive_entry_set_pathname(entry, (root / rel).c_str());

    if (archive_write_header(out.get(), entry) < ARCHIVE_WARN)
      throw Error("cannot unpack " + archive + ": cannot write " + rel.string() + ": " + message_of(out.get()));
    // Always read the data: a streamed zip entry may not know its size up front.
    int64_t bytes = 0;
    if (type != AE_IFDIR && type != AE_IFLNK) bytes = copy_data(archive, in.get(), out.get(), rel);
    if (archive_write_finish_entry(out.get()) < ARCHIVE_WARN)
      throw Error("cannot unpack " + archive + ": cannot finish " + rel.string() + ": " + message_of(out.get()));

    top_level.insert(rel.begin()->string());
    if (type != AE_IFDIR) {
      ++result.files;
      result.bytes += bytes;
    }
  }
  if (archive_read_close(in.get()) != ARCHIVE_OK) throw_corrupt(archive, in.get());
  // Closing the writer applies the deferred folder times and permissions.
  if (archive_write_close(out.get()) != ARCHIVE_OK)
    throw Error("cannot unpack " + archive + ": " + message_of(out.get()));
  if (entries == 0) throw Error("cannot unpack " + archive + ": the archive is empty");
  result.top_level.assign(top_level.begin(), top_level.end());
  return result;
}

// Moves each top-level entry of `from` into the existing folder `to`, one
// rename each, so every entry is either the old one or the complete new one.
void merge_into(const fs::path& from, const fs::path& to, const std::string& tag) {
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(from)) entries.push_back(e.path());
  for (const fs::path& src : entries) {
    const fs::path target = to / src.filename();
    fs::path aside;
    std::error_code ec;
    if (fs::exists(fs::symlink_status(target, ec))) {
      // rename() cannot replace a non-empty folder: move the old one aside first.
      aside = to / ("." + src.filename().string() + ".replaced" + tag);
      fs::remove_all(aside, ec);
      fs::rename(target, aside);
    }
    fs::rename(src, target);
    if (!aside.empty()) fs::remove_all(aside, ec);
  }
}

}  // namespace

UnpackResult unpack_archive_listed(const std::string& archive, const std::string& dest_dir) {
  if (dest_dir.empty()) throw Error("cannot unpack " + archive + ": no destination folder given");
  std::error_code ec;
  if (!fs::is_regular_file(archive, ec)) throw Error("cannot unpack " + archive + ": no such file");
  try {
    fs::path dest = fs::absolute(dest_dir).lexically_normal();
    if (dest.filename().empty()) dest = dest.parent_path();  // "dir/" -> "dir"
    if (fs::exists(dest) && !fs::is_directory(dest))
      throw Error("cannot unpack " + archive + " into " + dest.string() + ": it exists and is not a folder");
    if (dest.has_parent_path()) fs::create_directories(dest.parent_path());

    const std::string tag = "-" + std::to_string(::getpid());
    fs::path tmp = dest;
    tmp += ".unpacking" + tag;
    fs::remove_all(tmp);  // left by a crashed run that had our pid
    fs::create_directory(tmp);
    TempDirGuard guard(tmp);

    // Canonical: a symlink above the destination must not trip the symlink guard.
    UnpackResult result = extract_all(archive, fs::canonical(tmp));
    if (!fs::exists(dest)) {
      fs::rename(tmp, dest);
    } else {
      merge_into(tmp, dest, tag);
      fs::remove(tmp);
    }
    guard.release();
    return result;
  } catch (const fs::filesystem_error& e) {
    throw Error("cannot unpack " + archive + " into " + dest_dir + ": " + e.what());
  }
}

}  // namespace greenbench::detail
