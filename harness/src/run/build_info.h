// What built this binary: version, git commit and dirty flag, compiler, flags
// and build type, compiled in by cmake/Provenance.cmake.
#pragma once

#include <string>

#include "measure/provenance.h"

namespace greenbench {

struct BuildInfo {
  std::string version, git_commit, git_dirty, compiler, cxx_flags, build_type, torch_version;
};

const BuildInfo& build_info();

/// The same facts in the form provenance() takes (git_dirty as a bool, when known).
BuildFacts build_facts();

}  // namespace greenbench
