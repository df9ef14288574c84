// PAPI is initialised once per process and shared by every meter that uses
// it (hardware counters, the rapl/powercap energy components).
#pragma once

#include <string>

namespace greenbench {

struct PapiInit {
  bool ok = false;
  std::string version;  ///< "major.minor.revision" of the PAPI library, when ok
  std::string reason;   ///< PAPI's own words when initialisation failed
};

/// Initialises PAPI on first call (thread-safe); later calls return the same result.
const PapiInit& papi_library();

}  // namespace greenbench
