#include "util/progress.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>

namespace greenbench {
namespace {
std::atomic<bool> g_enabled{true};

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  return buf;
}
}  // namespace

void ProgressBar::set_enabled(bool enabled) { g_enabled = enabled; }

ProgressBar::ProgressBar(std::string label, int64_t total, std::string unit, std::FILE* out)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total), out_(out),
      tty_(::isatty(::fileno(out)) != 0), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

ProgressBar::~ProgressBar() { finish(status_); }

void ProgressBar::advance(int64_t n, const std::string& status) {
  done_ += n;
  if (!status.empty()) status_ = status;
  auto now = std::chrono::steady_clock::now();
  // Redraw a terminal 5x a second; a log only every 10 s so it stays readable.
  auto interval = tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(10000);
  if (now - last_draw_ >= interval) {
    last_draw_ = now;
    draw(false);
  }
}

void ProgressBar::finish(const std::string& status) {
  if (finished_) return;
  finished_ = true;
  if (!status.empty()) status_ = status;
  draw(true);
}

void ProgressBar::draw(bool final_line) {
  if (!g_enabled) return;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  double eta = rate > 0 ? (total_ - done_) / rate : NAN;
  double frac = total_ > 0 ? std::min(1.0, static_cast<double>(done_) / total_) : 0.0;
  std::string bar;
  if (tty_) {
    const int width = 24;
    int filled = static_cast<int>(frac * width);
    bar = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
  }
  char line[512];
  std::snprintf(line, sizeof line, "%s %s%3.0f%% %lld/%lld %s, %.1f %s/s, %s %s%s%s", label_.c_str(), bar.c_str(),
                frac * 100, static_cast<long long>(done_), static_cast<long long>(total_), unit_.c_str(), rate,
                unit_.c_str(), final_line ? "took" : "ETA", format_duration(final_line ? elapsed : eta).c_str(),
                status_.empty() ? "" : ", ", status_.c_str());
  if (tty_) std::fprintf(out_, "\r\033[K%s%s", line, final_line ? "\n" : "");
  else std::fprintf(out_, "%s\n", line);
  std::fflush(out_);
}

}  // namespace greenbench
