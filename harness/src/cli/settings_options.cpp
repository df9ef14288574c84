#include "cli/settings_options.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <variant>

#include "data/roles.h"
#include "greenbench/bert/precision.h"
#include "settings/settings_table.h"
#include "settings/settings_validation.h"

namespace greenbench {
namespace {

// One option from one row: its flags, help and field; unsigned fields refuse
// a sign before CLI11 converts; the default is shown where there is one.
void add_row_option(CLI::App& c, RunSettings& s, const Setting& row) {
  const SettingField field = row.field(s);
  CLI::Option* option = std::visit([&](auto* f) { return c.add_option(row.flags(), *f, row.help); }, field);
  if (std::holds_alternative<uint64_t*>(field)) option->check(unsigned_integer());
  const nlohmann::json default_value = row.json_value(s);
  if (!default_value.is_null() && default_value != "") option->capture_default_str();
}

}  // namespace

CLI::Validator unsigned_integer() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // CLI11 reads "-1" into an unsigned option as 2^64-1; refuse the sign
        // (and anything that is not plain digits) before it converts.
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        errno = 0;
        if (digits) std::strtoull(text.c_str(), nullptr, 10);
        if (!digits || errno == ERANGE) return "expected an integer in [0, 18446744073709551615], got " + text;
        return "";
      },
      "UINT");
}

void add_data_option(CLI::App& c, std::string& data_flag) {
  c.add_option("--data", data_flag, "data folder (default: $GREENBENCH_DATA, else ./data)");
}

void add_settings_options(CLI::App& c, RunSettings& s, std::string& data_flag) {
  add_data_option(c, data_flag);
  for (const auto& row : settings_table()) {
    if (row.on_command_line()) add_row_option(c, s, row);
  }
}

void add_setting_options(CLI::App& c, RunSettings& s, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    const Setting* row = find_setting(name);
    if (!row || row->name != name || !row->on_command_line()) throw Error("no command-line setting named '" + name + "'");
  }
  for (const auto& row : settings_table()) {
    if (std::find(names.begin(), names.end(), row.name) != names.end()) add_row_option(c, s, row);
  }
}

void finish_settings(RunSettings& s, const std::string& data_flag) {
  s.data_root = resolve_data_root(data_flag);
  s.train.seed = s.seed;
  s.roles.seed = s.seed;
  // Before the thread pool is sized and before any data is read.
  for (const auto& warning : validate_settings(s, "command line")) std::fprintf(stderr, "greenbench: warning: %s\n", warning.c_str());
  set_thread_budget(s.threads);
  apply_thread_layout(Precision::fp32);
}

}  // namespace greenbench
