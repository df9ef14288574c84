// The CPU feature flags the kernel reports ("flags" in /proc/cpuinfo), read
// by the BLAS fix and the training-precision choice alike.
#pragma once

#include <set>
#include <string>

namespace greenbench {

/// The first processor's flags (they speak for all); empty when unreadable.
std::set<std::string> cpu_flags(const std::string& cpuinfo = "/proc/cpuinfo");

}  // namespace greenbench
