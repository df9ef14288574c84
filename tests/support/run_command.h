// Runs a command line through the shell, as a user would, and captures what
// it printed (stdout and stderr together) and its exit status.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace greenbench::testing {

struct CommandResult {
  int status = -1;     ///< exit status; -1 when it did not exit normally
  std::string output;  ///< stdout and stderr together
};

/// Runs `command` in the folder `cwd`.
inline CommandResult run_command(const std::string& command, const std::string& cwd) {
  const std::string line = "cd '" + cwd + "' && " + command + " 2>&1";
  FILE* pipe = popen(line.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed for: " + line);
  CommandResult r;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.output.append(buffer, n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace greenbench::testing
