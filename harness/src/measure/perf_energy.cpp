#include "measure/perf_energy.h"

#include <linux/perf_event.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "greenbench/error.h"
#include "measure/sysfs_file.h"

namespace greenbench {
namespace {

std::string hex(uint64_t value) {
  std::ostringstream out;
  out << "0x" << std::hex << value;
  return out.str();
}

// An integer as perf writes them in sysfs: "0x02", "5".
std::optional<uint64_t> parse_integer(std::string_view text) {
  const std::string s(trim_whitespace(text));
  if (s.empty() || s[0] == '-' || s[0] == '+') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(s.c_str(), &end, 0);
  if (errno != 0 || end != s.c_str() + s.size()) return std::nullopt;
  return static_cast<uint64_t>(value);
}

// The bits of perf_event_attr.config that a term fills, from format/<term>
// ("config:0-7" or "config:12").
struct ConfigBits {
  unsigned low = 0;
  unsigned high = 63;
};

std::optional<ConfigBits> parse_format(std::string_view text) {
  text = trim_whitespace(text);
  constexpr std::string_view kField = "config:";
  if (text.substr(0, kField.size()) != kField) return std::nullopt;  // config1/config2 are not used by RAPL
  text.remove_prefix(kField.size());
  const auto dash = text.find('-');
  const auto low = parse_decimal_u64(text.substr(0, dash));
  const auto high = dash == std::string_view::npos ? low : parse_decimal_u64(text.substr(dash + 1));
  if (!low || !high || *low > *high || *high > 63) return std::nullopt;
  return ConfigBits{static_cast<unsigned>(*low), static_cast<unsigned>(*high)};
}

std::string events_offered(const std::string& pmu_dir) {
  std::string names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(pmu_dir + "/events", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find('.') != std::string::npos) continue;  // .scale, .unit
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names.empty() ? "no events" : names;
}

// "0,28" or "0-1": the CPUs the PMU wants events opened on, one per package.
std::optional<std::vector<int>> parse_cpu_list(std::string_view text) {
  std::vector<int> cpus;
  text = trim_whitespace(text);
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const auto dash = item.find('-');
    const auto first = parse_decimal_u64(item.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : parse_decimal_u64(item.substr(dash + 1));
    if (!first || !last || *first > *last || *last > 65535) return std::nullopt;
    for (uint64_t cpu = *first; cpu <= *last; ++cpu) cpus.push_back(static_cast<int>(cpu));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (cpus.empty()) return std::nullopt;
  return cpus;
}

std::string paranoid_setting(const std::string& paranoid_path) {
  const SmallFileRead file = read_small_file(paranoid_path);
  if (!file.ok()) return file.message;
  return paranoid_path + " is " + std::string(trim_whitespace(file.text)) +
         " (system-wide events need a value <= 0, or CAP_PERFMON or CAP_SYS_ADMIN)";
}

int open_system_wide(const PerfEnergyEvent& event, int cpu) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = event.pmu_type;
  attr.config = event.config;
  return static_cast<int>(::syscall(SYS_perf_event_open, &attr, /*pid=*/-1, cpu, /*group_fd=*/-1,
                                    PERF_FLAG_FD_CLOEXEC));
}

}  // namespace

PerfEventLookup find_perf_energy_event(const std::string& pmu_dir, const std::string& event_name) {
  PerfEventLookup lookup;
  struct stat info {};
  if (::stat(pmu_dir.c_str(), &info) != 0) {
    lookup.reason = "no perf power PMU at " + pmu_dir + ": " + errno_text(errno) +
                    " (the kernel's RAPL perf driver is not loaded, or the CPU or VM does not expose RAPL)";
    return lookup;
  }
  PerfEnergyEvent event;

  const std::string type_path = pmu_dir + "/type";
  const SmallFileRead type = read_small_file(type_path);
  if (!type.ok()) {
    lookup.reason = type.message;
    return lookup;
  }
  const auto type_value = parse_decimal_u64(type.text);
  if (!type_value || *type_value > UINT32_MAX) {
    lookup.reason = "expected a PMU type number in " + type_path + ", found '" +
                    std::string(trim_whitespace(type.text)) + "'";
    return lookup;
  }
  event.pmu_type = static_cast<uint32_t>(*type_value);

  const std::string event_path = pmu_dir + "/events/" + event_name;
  const SmallFileRead terms = read_small_file(event_path);
  if (!terms.ok()) {
    lookup.reason = "no perf event " + event_name + ": " + terms.message + "; the PMU offers " + events_offered(pmu_dir);
    return lookup;
  }
  // Terms such as "event=0x02" (a bare term means 1), each placed in config per format/<term>.
  std::string_view rest = trim_whitespace(terms.text);
  if (rest.empty()) {
    lookup.reason = "expected terms such as event=0x02 in " + event_path + ", found an empty file";
    return lookup;
  }
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view term = trim_whitespace(rest.substr(0, comma));
    const auto equals = term.find('=');
    const std::string term_name(term.substr(0, equals));
    const auto value = equals == std::string_view::npos ? std::optional<uint64_t>(1) : parse_integer(term.substr(equals + 1));
    if (term_name.empty() || !value) {
      lookup.reason = "expected terms such as event=0x02 in " + event_path + ", found '" + std::string(term) + "'";
      return lookup;
    }
    const std::string format_path = pmu_dir + "/format/" + term_name;
    const SmallFileRead format = read_small_file(format_path);
    std::optional<ConfigBits> bits;
    if (format.ok()) {
      bits = parse_format(format.text);
      if (!bits) {
        lookup.reason = "expected config:LOW-HIGH in " + format_path + ", found '" +
                        std::string(trim_whitespace(format.text)) + "'";
        return lookup;
      }
    } else if (term_name == "event") {
      bits = ConfigBits{};  // RAPL's only term fills config from bit 0
    } else {
      lookup.reason = "term " + term_name + " of " + event_path + " has no format: " + format.message;
      return lookup;
    }
    const unsigned width = bits->high - bits->low + 1;
    if (width < 64 && (*value >> width) != 0) {
      lookup.reason = "value " + hex(*value) + " of term " + term_name + " in " + event_path + " does not fit " +
                      std::to_string(width) + " bits";
      return lookup;
    }
    event.config |= *value << bits->low;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }

  const std::string scale_path = event_path + ".scale";
  const SmallFileRead scale = read_small_file(scale_path);
  if (!scale.ok()) {
    lookup.reason = scale.message + " (without the scale, counts cannot be turned into joules)";
    return lookup;
  }
  const std::string scale_text(trim_whitespace(scale.text));
  char* end = nullptr;
  event.joules_per_count = std::strtod(scale_text.c_str(), &end);
  if (scale_text.empty() || end != scale_text.c_str() + scale_text.size() || !std::isfinite(event.joules_per_count) ||
      event.joules_per_count <= 0) {
    lookup.reason = "expected a positive number in " + scale_path + ", found '" + scale_text + "'";
    return lookup;
  }

  const std::string unit_path = event_path + ".unit";
  const SmallFileRead unit = read_small_file(unit_path);
  if (!unit.ok()) {
    lookup.reason = unit.message;
    return lookup;
  }
  event.unit = std::string(trim_whitespace(unit.text));
  if (event.unit != "Joules") {
    lookup.reason = "expected unit Joules in " + unit_path + ", found '" + event.unit + "'";
    return lookup;
  }

  const std::string cpumask_path = pmu_dir + "/cpumask";
  const SmallFileRead cpumask = read_small_file(cpumask_path);
  if (cpumask.ok()) {
    auto cpus = parse_cpu_list(cpumask.text);
    if (!cpus) {
      lookup.reason = "expected a CPU list such as 0,28 in " + cpumask_path + ", found '" +
                      std::string(trim_whitespace(cpumask.text)) + "'";
      return lookup;
    }
    event.cpus = std::move(*cpus);
  } else {
    event.cpus = {0};  // older kernels: package 0 through CPU 0
  }
  lookup.event = std::move(event);
  return lookup;
}

PerfEnergy::PerfEnergy(std::string pmu_dir, std::string paranoid_path, std::string event_name)
    : event_name_(std::move(event_name)) {
  PerfEventLookup lookup = find_perf_energy_event(pmu_dir, event_name_);
  if (!lookup.event) {
    reason_ = std::move(lookup.reason);
    return;
  }
  event_ = std::move(*lookup.event);
  for (int cpu : event_.cpus) {
    const int fd = open_system_wide(event_, cpu);
    if (fd < 0) {
      const int error = errno;
      reason_ = "perf_event_open(" + name() + ": type " + std::to_string(event_.pmu_type) + ", config " +
                hex(event_.config) + ", cpu " + std::to_string(cpu) + ", pid -1): " + errno_text(error) + "; " +
                paranoid_setting(paranoid_path);
      for (int open_fd : fds_) ::close(open_fd);
      fds_.clear();
      return;
    }
    fds_.push_back(fd);
  }
}

PerfEnergy::~PerfEnergy() {
  for (int fd : fds_) ::close(fd);
}

MeterStatus PerfEnergy::status() const {
  MeterStatus status;
  status.available = reason_.empty();
  status.source = name();
  status.reason = reason_;
  return status;
}

std::vector<uint64_t> PerfEnergy::read_counts() const {
  std::vector<uint64_t> counts;
  for (size_t i = 0; i < fds_.size(); ++i) {
    uint64_t count = 0;
    const ssize_t n = ::read(fds_[i], &count, sizeof count);
    if (n != static_cast<ssize_t>(sizeof count))
      throw Error("cannot read perf counter " + name() + " on cpu " + std::to_string(event_.cpus[i]) + ": " +
                  (n < 0 ? errno_text(errno) : "short read of " + std::to_string(n) + " bytes"));
    counts.push_back(count);
  }
  return counts;
}

void PerfEnergy::start() {
  if (!reason_.empty()) throw Error(name() + " cannot measure: " + reason_);
  start_counts_ = read_counts();
  running_ = true;
}

EnergyReading PerfEnergy::stop() {
  if (!running_) throw std::logic_error("PerfEnergy::stop() called without start()");
  running_ = false;
  const std::vector<uint64_t> counts = read_counts();
  EnergyReading reading;
  for (size_t i = 0; i < counts.size(); ++i) {
    const double joules = static_cast<double>(counts[i] - start_counts_[i]) * event_.joules_per_count;
    reading.zones["cpu" + std::to_string(event_.cpus[i])] = {{"name", event_name_}, {"joules", joules}, {"in_total", true}};
    reading.joules += joules;
  }
  return reading;
}

}  // namespace greenbench
