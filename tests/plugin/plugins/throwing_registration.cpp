// A plugin whose register function throws (a missing resource, say): the
// loader reports the plugin's own message. Entry points written by hand, to keep this
// library free of LibTorch; THIS_API_VERSION (this greenbench's) comes from tests.cmake.
#include <stdexcept>

namespace greenbench {
class MethodRegistry;
}

extern "C" int greenbench_plugin_api_version() { return THIS_API_VERSION; }
extern "C" void greenbench_plugin_register(greenbench::MethodRegistry&) {
  throw std::runtime_error("the probe's lookup table is missing");
}
