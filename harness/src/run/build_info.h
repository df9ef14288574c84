// What built this binary: version, git commit and dirty flag, compiler, flags
// and build type, compiled in by cmake/Provenance.cmake.
#pragma once

#include <string>

namespace greenbench {

struct BuildInfo {
  std::string version, git_commit, git_dirty, compiler, cxx_flags, build_type, torch_version;
};

const BuildInfo& build_info();

}  // namespace greenbench
