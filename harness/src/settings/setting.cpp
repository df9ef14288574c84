// A settings row's behaviour: its flags and names, reading its field as JSON
// or as a number, and writing a JSON value into it with type and range checks.
#include "settings/setting.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace greenbench {
namespace {

using Json = nlohmann::json;
constexpr long double kInfinity = std::numeric_limits<long double>::infinity();

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string flag_of(const std::string& name) {
  std::string flag = "--" + name;
  for (char& c : flag) c = c == '_' ? '-' : c;
  return flag;
}

void require(bool ok, const std::string& key, const char* expected, const Json& v) {
  if (!ok) throw Error("'" + key + "' must be " + expected + ", got " + v.dump());
}

}  // namespace

AllowedRange settings_detail::integers(long double low, long double high) { return {true, low, high, false, false}; }
AllowedRange settings_detail::numbers(long double low, long double high, bool low_open, bool high_open) {
  return {false, low, high, low_open, high_open};
}

long double settings_detail::json_number(const Json& v) {
  if (v.is_number_unsigned()) return static_cast<long double>(v.get<uint64_t>());
  if (v.is_number_integer()) return static_cast<long double>(v.get<int64_t>());
  if (v.is_number_float()) return v.get<double>();
  return std::numeric_limits<long double>::quiet_NaN();
}

std::string settings_detail::number_text(long double x) {
  if (x == kInfinity) return "inf";
  std::ostringstream out;
  out.precision(std::floor(x) == x && std::fabs(x) < 1e19L ? 20 : 6);
  out << x;
  return out.str();
}

void settings_detail::check_json(const Json& v, const AllowedRange& range, const std::string& name, const std::string& meaning,
                                 const std::string& where) {
  const bool right_type = range.integer ? v.is_number_integer() : v.is_number();
  if (!right_type || !range.contains(json_number(v))) {
    throw SettingsError(where + ": " + name + " = " + v.dump() + ": expected " + range.describe() + " (" + meaning + ")");
  }
}

bool AllowedRange::contains(long double x) const {
  if (!std::isfinite(x)) return false;
  if (integer && std::floor(x) != x) return false;
  if (low_open ? !(x > low) : !(x >= low)) return false;
  if (high_open ? !(x < high) : !(x <= high)) return false;
  return true;
}

std::string AllowedRange::describe() const {
  using settings_detail::number_text;
  const std::string kind = integer ? "an integer" : "a finite number";
  if (high == kInfinity) return kind + (low_open ? " > " : " >= ") + number_text(low);
  return kind + " in " + (low_open ? "(" : "[") + number_text(low) + ", " + number_text(high) + (high_open ? ")" : "]");
}

std::string Setting::flags() const {
  std::string out = flag_of(name);
  for (const auto& old : old_names) out += "," + flag_of(old);
  return out;
}

bool Setting::answers_to(const std::string& key) const {
  if (key == name) return true;
  for (const auto& old : old_names) {
    if (key == old) return true;
  }
  return false;
}

std::string Setting::display_name() const {
  if (given_by == GivenBy::nobody || given_by == GivenBy::suite) return name;
  std::string out = name + " (" + flag_of(name);
  for (const auto& old : old_names) out += ", " + flag_of(old);
  return out + ")";
}

Json Setting::json_value(const RunSettings& s) const {
  // The field is only read here; the accessor takes a mutable RunSettings so
  // one accessor serves reading and writing.
  const SettingField f = field(const_cast<RunSettings&>(s));
  return std::visit(Overloaded{[](std::optional<double>* v) { return *v ? Json(**v) : Json(nullptr); },
                               [](auto* v) { return Json(*v); }},
                    f);
}

std::optional<long double> Setting::number(const RunSettings& s) const {
  const SettingField f = field(const_cast<RunSettings&>(s));
  return std::visit(
      Overloaded{[](int* v) -> std::optional<long double> { return *v; },
                 [](uint64_t* v) -> std::optional<long double> { return static_cast<long double>(*v); },
                 [](double* v) -> std::optional<long double> { return *v; },
                 [](std::optional<double>* v) -> std::optional<long double> {
                   if (!*v) return std::nullopt;
                   return **v;
                 },
                 [](auto*) -> std::optional<long double> { return std::nullopt; }},
      f);
}

void Setting::assign(const Json& v, RunSettings& s, const std::string& key) const {
  // Type first (the message names the JSON type), then the row's range.
  auto in_range = [&]() -> long double {
    if (range) settings_detail::check_json(v, *range, "setting \"" + key + "\"", meaning, "settings");
    return settings_detail::json_number(v);
  };
  std::visit(Overloaded{[&](int* f) {
                          require(v.is_number_integer(), key, "an integer", v);
                          *f = static_cast<int>(in_range());
                        },
                        [&](uint64_t* f) {
                          require(v.is_number_integer(), key, "an integer", v);
                          *f = static_cast<uint64_t>(in_range());
                        },
                        [&](double* f) {
                          require(v.is_number(), key, "a number", v);
                          *f = static_cast<double>(in_range());
                        },
                        [&](std::optional<double>* f) {
                          require(v.is_number(), key, "a number", v);
                          *f = static_cast<double>(in_range());
                        },
                        [&](std::string* f) {
                          require(v.is_string(), key, "a string", v);
                          *f = v.get<std::string>();
                        },
                        [&](bool* f) {
                          require(v.is_boolean(), key, "true or false", v);
                          *f = v.get<bool>();
                        },
                        [&](std::vector<double>* f) {
                          bool numbers = v.is_array();
                          for (const auto& x : v) numbers = numbers && x.is_number();
                          require(numbers, key, "a list of numbers", v);
                          *f = v.get<std::vector<double>>();
                        }},
             field(s));
}

}  // namespace greenbench
