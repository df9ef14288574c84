// A plugin that registers nothing: the loader refuses it rather than load a
// plugin that adds no method. Entry points written by hand, to keep this
// library free of LibTorch; THIS_API_VERSION (this greenbench's) comes from tests.cmake.
namespace greenbench {
class MethodRegistry;
}

extern "C" int greenbench_plugin_api_version() { return THIS_API_VERSION; }
extern "C" void greenbench_plugin_register(greenbench::MethodRegistry&) {}
