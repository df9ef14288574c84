// A plugin as built against another greenbench, one that speaks plugin API
// version THIS_API_VERSION + 6 (8 today): the entry points are written out by
// hand so the version can differ from this greenbench's. The loader must
// refuse it before calling its register function.
#include <cstdlib>

namespace greenbench {
class MethodRegistry;
}

extern "C" int greenbench_plugin_api_version() { return THIS_API_VERSION + 6; }
extern "C" void greenbench_plugin_register(greenbench::MethodRegistry&) { std::abort(); }
