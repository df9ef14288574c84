// A hostile suite file, taken the way `greenbench run --suite FILE` and
// `greenbench sweep --suite FILE` take it: load_suite reads and parses the
// file, then the settings are applied and the units planned (with a few
// sweep trials when the suite declares a search space). greenbench::Error
// and nlohmann's exceptions are refusals; anything else is a bug.
#include <algorithm>
#include <cstdint>
#include <exception>

#include "fuzz_support.h"
#include "greenbench/registry.h"
#include "run/suite.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace greenbench;
  // Built once, before the first input; named here so the static link keeps
  // the registry that suite.cpp checks method names against.
  static MethodRegistry& registry = method_registry();
  (void)registry;
  const auto path = fuzz::scratch_dir() / "suite.json";
  fuzz::write_input(path, fuzz::as_text(data, size));
  try {
    const Suite suite = load_suite(path.string());
    RunSettings settings;
    apply_suite_settings(suite.settings, settings, suite.source);
    plan_units(suite, 0);
    if (!suite.search.empty()) plan_units(suite, std::clamp(suite.default_trials, 1, 3));
  } catch (const std::exception&) {
  }
  return 0;
}
