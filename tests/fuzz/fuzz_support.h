// What the fuzz targets share: a per-process scratch folder (in /dev/shm when
// there is one, so writing each input costs no disk I/O) for the parsers that
// take a path rather than bytes, and the one rule every target enforces: a
// parser may refuse its input with an exception, never crash, hang or
// corrupt memory (ASan and UBSan see to the last).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace greenbench::fuzz {

/// A folder of this process's own, removed at exit; each input is written
/// into it before the parser reads it.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    std::error_code ec;
    const std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec)
                                           ? std::filesystem::path("/dev/shm")
                                           : std::filesystem::temp_directory_path();
    std::string pattern = (base / "greenbench-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      std::abort();  // the target cannot run without its folder
    }
    static const std::filesystem::path made(pattern);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(made, ignored);
    });
    return made;
  }();
  return dir;
}

/// Writes `bytes` to `path` (creating its folder), replacing what was there.
inline void write_input(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) {
    std::perror(path.c_str());
    std::abort();
  }
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace greenbench::fuzz
