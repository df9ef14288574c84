#include "run/build_info.h"

#include <torch/version.h>

#include "run/build_info_git.h"
#include "run/build_info_values.h"

namespace greenbench {

const BuildInfo& build_info() {
  static const BuildInfo info{GREENBENCH_VERSION,   GREENBENCH_GIT_COMMIT,    GREENBENCH_GIT_DIRTY,
                              GREENBENCH_COMPILER,  GREENBENCH_CXX_FLAGS,     GREENBENCH_BUILD_TYPE,
                              TORCH_VERSION};
  return info;
}

BuildFacts build_facts() {
  const BuildInfo& info = build_info();
  BuildFacts facts{info.version, info.git_commit, std::nullopt, info.compiler, info.cxx_flags, info.build_type,
                   info.torch_version};
  if (info.git_dirty == "true") facts.git_dirty = true;
  if (info.git_dirty == "false") facts.git_dirty = false;
  return facts;
}

}  // namespace greenbench
