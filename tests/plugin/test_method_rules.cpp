// What MethodRegistry::add accepts, built-in or from a plugin: a name fit for
// record file names, a known family, defaults that are a JSON object, a make
// function; where each method came from; and a duplicate name refused saying
// where both came from.
#include <torch/torch.h>
// LibTorch's logging defines a one-argument CHECK; Catch's must win.
#undef CHECK
#include <catch2/catch.hpp>

#include <string>

#include "greenbench/error.h"
#include "greenbench/registry.h"

using namespace greenbench;
using Catch::Matchers::Contains;

namespace {

// A well-formed entry to spoil one field of; make is never called.
MethodInfo valid() {
  return {"probe_2", "method", "a test entry", nlohmann::json::object(), [] { return std::unique_ptr<Method>(); }};
}

std::string refusal(MethodInfo info, const std::string& origin = "") {
  MethodRegistry registry;
  try {
    registry.add(std::move(info), origin);
  } catch (const Error& e) {
    CHECK(registry.all().empty());
    return e.what();
  }
  FAIL("add() accepted it");
  return "";
}

}  // namespace

TEST_CASE("a well-formed entry is accepted, built in or from a plugin", "[registry]") {
  MethodRegistry registry;
  registry.add(valid());
  MethodInfo other = valid();
  other.name = "probe_3";
  other.family = "baseline";
  registry.add(other, "/plugins/probe.so");
  CHECK(registry.origin("probe_2").empty());
  CHECK(registry.origin("probe_3") == "/plugins/probe.so");
  CHECK_THROWS_AS(registry.origin("nope"), Error);
}

TEST_CASE("a method name that cannot be part of a record file name is refused", "[registry]") {
  for (const char* name : {"", "Probe", "two-exit", "2exit", "my method", "a/b", "_probe"}) {
    MethodInfo info = valid();
    info.name = name;
    const std::string message = refusal(info, "/plugins/p.so");
    INFO(message);
    CHECK_THAT(message, Contains("method '" + std::string(name) + "' from plugin /plugins/p.so"));
    CHECK_THAT(message, Contains("lower-case letters, digits and '_', starting with a letter"));
  }
}

TEST_CASE("a family other than method or baseline is refused", "[registry]") {
  MethodInfo info = valid();
  info.family = "Method";
  const std::string message = refusal(info);
  INFO(message);
  CHECK_THAT(message, Contains("family is 'Method'; expected 'method' or 'baseline'"));
}

TEST_CASE("defaults that are not a JSON object are refused", "[registry]") {
  MethodInfo info = valid();
  info.default_config = nlohmann::json::array({0.5, 0.9});
  const std::string message = refusal(info);
  INFO(message);
  CHECK_THAT(message, Contains("default settings must be a JSON object, got [0.5,0.9]"));
}

TEST_CASE("an entry without a make function is refused", "[registry]") {
  MethodInfo info = valid();
  info.make = nullptr;
  CHECK_THAT(refusal(info), Contains("no make function"));
}

TEST_CASE("a duplicate name is refused, saying where both came from", "[registry]") {
  MethodRegistry registry;
  registry.add(valid());
  try {
    registry.add(valid(), "/plugins/p.so");
    FAIL("the duplicate was accepted");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Contains("method 'probe_2' is registered twice: first built in, then from plugin /plugins/p.so"));
  }
  CHECK(registry.all().size() == 1);
}
