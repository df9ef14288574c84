// A progress line for long work: count, rate, ETA and a caller-supplied status
// (for example the running loss). On a terminal it redraws in place; in a log
// (CI) it prints a plain line at most every few seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace greenbench {

class ProgressBar {
 public:
  /// `unit` names what is counted ("ex" for examples).
  ProgressBar(std::string label, int64_t total, std::string unit = "ex", std::FILE* out = stderr);
  ~ProgressBar();
  /// Adds `n` done items; `status` is shown after the rate.
  void advance(int64_t n, const std::string& status = "");
  /// Prints the final line (idempotent).
  void finish(const std::string& status = "");
  /// Global switch (--quiet).
  static void set_enabled(bool enabled);

 private:
  void draw(bool final_line);
  std::string label_, unit_, status_;
  int64_t total_, done_ = 0;
  std::FILE* out_;
  bool tty_, finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace greenbench
