#include "greenbench/registry.h"

#include "greenbench/error.h"

namespace greenbench {
namespace {

std::string describe_origin(const std::string& origin) {
  return origin.empty() ? "built in" : "from plugin " + origin;
}

bool valid_name(const std::string& name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

void MethodRegistry::add(MethodInfo info, std::string origin) {
  const std::string where = "method '" + info.name + "'" + (origin.empty() ? "" : " from plugin " + origin);
  if (!valid_name(info.name))
    throw Error(where + ": the name must be lower-case letters, digits and '_', starting with a letter");
  if (info.family != "method" && info.family != "baseline")
    throw Error(where + ": family is '" + info.family + "'; expected 'method' or 'baseline'");
  if (!info.default_config.is_object())
    throw Error(where + ": default settings must be a JSON object, got " + info.default_config.dump());
  if (!info.make) throw Error(where + ": no make function");
  for (size_t i = 0; i < methods_.size(); ++i) {
    if (methods_[i].name != info.name) continue;
    std::string message = "method '" + info.name + "' is registered twice";
    if (!origins_[i].empty() || !origin.empty())
      message += ": first " + describe_origin(origins_[i]) + ", then " + describe_origin(origin);
    throw Error(message);
  }
  if (info.provides_base_model) {
    for (size_t i = 0; i < methods_.size(); ++i)
      if (methods_[i].provides_base_model)
        throw Error(where + ": says it provides the base model, but '" + methods_[i].name + "' (" +
                    describe_origin(origins_[i]) + ") already does; exactly one method may");
  }
  methods_.push_back(std::move(info));
  origins_.push_back(std::move(origin));
}

const MethodInfo& MethodRegistry::get(const std::string& name) const {
  std::string known;
  for (const auto& m : methods_) {
    if (m.name == name) return m;
    known += (known.empty() ? "" : ", ") + m.name;
  }
  throw Error("unknown method '" + name + "'; known methods: " + known +
              " (see `greenbench methods`; a plugin's methods are known once it is loaded with --plugin PATH)");
}

const MethodInfo& MethodRegistry::base_model_provider() const {
  for (const auto& m : methods_)
    if (m.provides_base_model) return m;
  throw Error("no registered method provides the base model that quantize, prune and distill build on");
}

const std::string& MethodRegistry::origin(const std::string& name) const {
  const MethodInfo& info = get(name);
  return origins_[static_cast<size_t>(&info - methods_.data())];
}

}  // namespace greenbench
