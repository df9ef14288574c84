#include "model/checkpoint_manifest.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <vector>

#include "greenbench/error.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace greenbench {
namespace {

namespace fs = std::filesystem;

bool is_temp_file(const std::string& name) { return name.find(".tmp.") != std::string::npos; }

// Every regular file under `dir` but the manifest and temp files, by relative path, sorted.
std::vector<std::string> checkpoint_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || is_temp_file(name)) continue;
    const std::string relative = entry.path().lexically_relative(dir).generic_string();
    if (relative != kCheckpointManifestFile) files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool is_hex_digest(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

void write_checkpoint_manifest(const std::string& dir) {
  std::string manifest;
  for (const auto& relative : checkpoint_files(dir))
    manifest += sha256_file((fs::path(dir) / relative).string()) + "  " + relative + "\n";
  write_file_atomic((fs::path(dir) / kCheckpointManifestFile).string(), manifest);
}

void verify_checkpoint_manifest(const std::string& dir) {
  const std::string path = (fs::path(dir) / kCheckpointManifestFile).string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw Error(path + ": no such file; this checkpoint cannot be verified (a greenbench before checkpoints hashed "
                       "their vocabulary and settings saved it, or it is incomplete): train it again");
  }
  const std::string text = read_file(path);
  std::map<std::string, std::string> listed;  // relative path -> sha256
  size_t start = 0;
  for (long line = 1; start < text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string row = text.substr(start, end - start);
    start = end + 1;
    const std::string digest = row.substr(0, 64);
    if (row.size() < 67 || !is_hex_digest(digest) || row.compare(64, 2, "  ") != 0)
      throw DataFormatError(path, line, "a sha256sum line (64 hex digits, two spaces, a file name)");
    const fs::path relative(row.substr(66));
    if (relative.is_absolute() || std::find(relative.begin(), relative.end(), "..") != relative.end())
      throw DataFormatError(path, line, "a file inside the checkpoint folder, found " + relative.string());
    listed[relative.generic_string()] = digest;
  }
  for (const auto& [relative, digest] : listed) {
    const std::string file = (fs::path(dir) / relative).string();
    if (!fs::is_regular_file(file, ec)) throw Error(file + ": missing; " + path + " lists it");
    const std::string actual = sha256_file(file);
    if (actual != digest) {
      throw Error(file + " has sha256 " + actual + " but " + path + " records " + digest +
                  "; the file was changed or damaged after the checkpoint was saved");
    }
  }
  for (const auto& relative : checkpoint_files(dir)) {
    if (!listed.count(relative))
      throw Error((fs::path(dir) / relative).string() + ": not listed in " + path +
                  "; a checkpoint holds only the files it was saved with");
  }
}

void check_checkpoint_folder(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": a checkpoint goes into a folder, and this is not one");
  if (fs::directory_iterator(dir, ec) == fs::directory_iterator() && !ec) return;  // empty
  const fs::path d(dir);
  if (fs::exists(d / kCheckpointManifestFile, ec) || fs::exists(d / "run.json", ec)) return;
  throw Error("refusing to write a checkpoint into " + dir +
              ": it is not empty and holds no earlier checkpoint (SHA256SUMS or run.json); give a new or empty folder");
}

}  // namespace greenbench
