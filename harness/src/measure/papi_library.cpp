#include "measure/papi_library.h"

#include <papi.h>

namespace greenbench {

const PapiInit& papi_library() {
  static const PapiInit init = [] {
    PapiInit result;
    const int version = PAPI_library_init(PAPI_VER_CURRENT);
    if (version != PAPI_VER_CURRENT) {
      result.reason = version > 0 ? "PAPI header and library versions differ"
                                  : std::string("PAPI_library_init: ") + PAPI_strerror(version);
      return result;
    }
    result.ok = true;
    result.version = std::to_string(PAPI_VERSION_MAJOR(version)) + "." + std::to_string(PAPI_VERSION_MINOR(version)) +
                     "." + std::to_string(PAPI_VERSION_REVISION(version));
    return result;
  }();
  return init;
}

}  // namespace greenbench
