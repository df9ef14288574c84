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

}  // namespace greenbench
