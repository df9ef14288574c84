#include "measure/powercap.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include "greenbench/error.h"
#include "measure/sysfs_file.h"

namespace greenbench {
namespace {

namespace fs = std::filesystem;

// RAPL zone folder names. AMD CPUs also appear as intel-rapl since Linux 5.8
// (the rapl driver covers family 17h and later); "amd-rapl" is accepted in
// case a driver names them so. intel-rapl-mmio:N is left out on purpose: it
// is the same package counter read through MMIO, and summing it with
// intel-rapl:N would count the package twice.
constexpr std::string_view kZonePrefixes[] = {"intel-rapl", "amd-rapl"};

struct ZoneId {
  std::string prefix;
  unsigned long package = 0;
  std::optional<unsigned long> sub;  // set for a subzone intel-rapl:N:M
};

std::optional<unsigned long> parse_index(std::string_view text) {
  const auto value = parse_decimal_u64(text);
  if (!value || trim_whitespace(text).size() != text.size()) return std::nullopt;
  return static_cast<unsigned long>(*value);
}

std::optional<ZoneId> parse_zone_id(std::string_view folder) {
  for (std::string_view prefix : kZonePrefixes) {
    if (folder.size() <= prefix.size() + 1 || folder.substr(0, prefix.size()) != prefix ||
        folder[prefix.size()] != ':')
      continue;
    std::string_view rest = folder.substr(prefix.size() + 1);
    ZoneId id;
    id.prefix = std::string(prefix);
    const auto colon = rest.find(':');
    const auto package = parse_index(rest.substr(0, colon));
    if (!package) return std::nullopt;
    id.package = *package;
    if (colon != std::string_view::npos) {
      id.sub = parse_index(rest.substr(colon + 1));
      if (!id.sub) return std::nullopt;
    }
    return id;
  }
  return std::nullopt;
}

struct FoundZone {
  ZoneId id;
  PowercapZone zone;
};

// Adds the zone folders directly under `dir`; top-level zones are searched
// one level down too, for trees where subzones are nested in their package.
void collect_zones(const fs::path& dir, std::vector<FoundZone>& found, std::error_code& list_error) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    if (!list_error) list_error = ec;
    return;
  }
  for (const auto& entry : it) {
    const std::string folder = entry.path().filename().string();
    auto id = parse_zone_id(folder);
    if (!id) continue;
    std::error_code ignored;
    if (!fs::is_directory(entry.path(), ignored)) continue;  // follows the /sys/class symlinks
    const bool seen = std::any_of(found.begin(), found.end(), [&](const FoundZone& f) { return f.zone.id == folder; });
    if (seen) continue;
    FoundZone f;
    f.id = *id;
    f.zone.id = folder;
    f.zone.dir = entry.path().string();
    if (id->sub) f.zone.inside = id->prefix + ":" + std::to_string(id->package);
    found.push_back(f);
    if (!id->sub) collect_zones(entry.path(), found, list_error);
  }
}

struct CounterRead {
  std::optional<uint64_t> uj;
  std::string error;  // names the file and what went wrong
};

CounterRead read_counter(const std::string& path) {
  CounterRead result;
  const SmallFileRead file = read_small_file(path);
  if (!file.ok()) {
    result.error = file.message;
    if (file.error == EACCES || file.error == EPERM)
      result.error +=
          " (since the PLATYPUS fix of November 2020, CVE-2020-8694, kernels make energy_uj readable by root "
          "only; run as root or grant read access to the file)";
    return result;
  }
  result.uj = parse_decimal_u64(file.text);
  if (!result.uj)
    result.error = "expected an unsigned integer of microjoules in " + path + ", found '" +
                   std::string(trim_whitespace(file.text)) + "'";
  return result;
}

std::string list_folder(const std::string& root) {
  std::string names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (!names.empty()) names += ", ";
    names += entry.path().filename().string();
  }
  return names.empty() ? "nothing" : names;
}

double microjoules_to_joules(uint64_t uj) { return static_cast<double>(uj) / 1e6; }

constexpr size_t kMaxWarnings = 20;

}  // namespace

std::optional<uint64_t> energy_delta_uj(uint64_t before, uint64_t after, uint64_t max_energy_range_uj) {
  if (after >= before) return after - before;
  if (max_energy_range_uj == 0 || before > max_energy_range_uj) return std::nullopt;
  return (max_energy_range_uj - before) + after;
}

PowercapProbe probe_powercap(const std::string& root) {
  PowercapProbe probe;
  struct stat info {};
  if (::stat(root.c_str(), &info) != 0) {
    probe.reason = "no powercap sysfs at " + root + ": " + errno_text(errno);
    return probe;
  }
  if (!S_ISDIR(info.st_mode)) {
    probe.reason = "no powercap sysfs at " + root + ": not a folder";
    return probe;
  }
  std::vector<FoundZone> found;
  std::error_code list_error;
  collect_zones(root, found, list_error);
  if (found.empty()) {
    probe.reason = list_error ? "cannot list " + root + ": " + list_error.message()
                              : "no RAPL zone (intel-rapl:N) under " + root + "; it holds: " + list_folder(root);
    return probe;
  }
  // Numeric order (intel-rapl:2 before intel-rapl:10), each package before its subzones.
  const auto order = [](const FoundZone& f) {
    return std::make_tuple(f.id.prefix, f.id.package, f.id.sub ? *f.id.sub + 1 : 0);
  };
  std::sort(found.begin(), found.end(), [&](const FoundZone& a, const FoundZone& b) { return order(a) < order(b); });
  for (FoundZone& f : found) {
    PowercapZone& zone = f.zone;
    const SmallFileRead name = read_small_file(zone.dir + "/name");
    zone.name = name.ok() ? std::string(trim_whitespace(name.text)) : zone.id;
    const SmallFileRead range = read_small_file(zone.dir + "/max_energy_range_uj");
    if (range.ok()) zone.max_energy_range_uj = parse_decimal_u64(range.text).value_or(0);
    const CounterRead counter = read_counter(zone.dir + "/energy_uj");
    if (!counter.uj && probe.reason.empty()) probe.reason = counter.error;
    probe.zones.push_back(std::move(zone));
  }
  return probe;
}

PowercapEnergy::PowercapEnergy(std::string root, std::chrono::milliseconds sample_period)
    : root_(std::move(root)), sample_period_(sample_period) {
  if (sample_period_.count() <= 0)
    throw Error("powercap sample period must be positive, got " + std::to_string(sample_period_.count()) + " ms");
  PowercapProbe probe = probe_powercap(root_);
  zones_ = std::move(probe.zones);
  reason_ = std::move(probe.reason);
}

PowercapEnergy::~PowercapEnergy() { stop_sampler(); }

MeterStatus PowercapEnergy::status() const {
  MeterStatus status;
  status.available = reason_.empty();
  status.source = name();
  status.reason = reason_;
  return status;
}

void PowercapEnergy::warn_locked(const std::string& warning) {
  if (warnings_.size() >= kMaxWarnings) return;
  if (std::find(warnings_.begin(), warnings_.end(), warning) == warnings_.end()) warnings_.push_back(warning);
}

void PowercapEnergy::sample_all_locked() {
  for (size_t i = 0; i < zones_.size(); ++i) {
    const PowercapZone& zone = zones_[i];
    const std::string path = zone.dir + "/energy_uj";
    const CounterRead now = read_counter(path);
    if (!now.uj) {
      warn_locked(now.error + "; the energy of " + zone.id + " until its next reading is not counted");
      last_uj_[i].reset();
      continue;
    }
    if (last_uj_[i]) {
      const auto delta = energy_delta_uj(*last_uj_[i], *now.uj, zone.max_energy_range_uj);
      if (delta) {
        total_uj_[i] += *delta;
      } else {
        warn_locked(path + " went down from " + std::to_string(*last_uj_[i]) + " to " + std::to_string(*now.uj) +
                    " but max_energy_range_uj is unknown or below it; that interval is not counted");
      }
    }
    last_uj_[i] = now.uj;
  }
  ++samples_taken_;
}

void PowercapEnergy::sampling_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    // wait_for returns true when stop() asked, so stopping never waits a period.
    if (wake_.wait_for(lock, sample_period_, [this] { return stopping_; })) break;
    sample_all_locked();
  }
}

void PowercapEnergy::stop_sampler() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (sampler_.joinable()) sampler_.join();
}

void PowercapEnergy::start() {
  if (!reason_.empty()) throw Error("powercap sysfs cannot measure: " + reason_);
  stop_sampler();  // start() again restarts
  {
    std::lock_guard<std::mutex> lock(mutex_);
    last_uj_.assign(zones_.size(), std::nullopt);
    total_uj_.assign(zones_.size(), 0);
    warnings_.clear();
    samples_taken_ = 0;
    sample_all_locked();  // the baseline
    stopping_ = false;
    running_ = true;
  }
  sampler_ = std::thread([this] { sampling_loop(); });
}

EnergyReading PowercapEnergy::stop() {
  if (!running_) throw std::logic_error("PowercapEnergy::stop() called without start()");
  stop_sampler();
  std::lock_guard<std::mutex> lock(mutex_);
  sample_all_locked();  // the final reading
  running_ = false;

  EnergyReading reading;
  uint64_t counted_uj = 0;
  for (size_t i = 0; i < zones_.size(); ++i) {
    const PowercapZone& zone = zones_[i];
    nlohmann::json entry = {{"name", zone.name},
                            {"joules", microjoules_to_joules(total_uj_[i])},
                            {"in_total", zone.counted_in_total()}};
    if (!zone.inside.empty()) entry["inside"] = zone.inside;
    reading.zones[zone.id] = entry;
    if (zone.counted_in_total()) counted_uj += total_uj_[i];
  }
  reading.joules = microjoules_to_joules(counted_uj);
  reading.warnings = warnings_;
  return reading;
}

}  // namespace greenbench
