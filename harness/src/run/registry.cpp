#include "greenbench/registry.h"

#include "util/error.h"

namespace greenbench {

void MethodRegistry::add(MethodInfo info) {
  for (const auto& m : methods_) {
    if (m.name == info.name) throw Error("method '" + info.name + "' is registered twice");
  }
  methods_.push_back(std::move(info));
}

const MethodInfo& MethodRegistry::get(const std::string& name) const {
  std::string known;
  for (const auto& m : methods_) {
    if (m.name == name) return m;
    known += (known.empty() ? "" : ", ") + m.name;
  }
  throw Error("unknown method '" + name + "'; known methods: " + known + " (see `greenbench methods`)");
}

}  // namespace greenbench
