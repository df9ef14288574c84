#include "util/cpu_flags.h"

#include <fstream>
#include <sstream>

namespace greenbench {

std::set<std::string> cpu_flags(const std::string& cpuinfo) {
  std::ifstream in(cpuinfo);
  std::string line;
  std::set<std::string> flags;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    for (std::string flag; words >> flag;) flags.insert(flag);
    break;
  }
  return flags;
}

}  // namespace greenbench
