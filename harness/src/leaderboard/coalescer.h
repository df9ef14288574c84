// Runs a job on a background thread when asked, folding the requests that
// arrive while it waits or runs into one more run: many uploads, few
// rebuilds, and never two rebuilds at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace greenbench {

class Coalescer {
 public:
  /// `job` runs on the background thread. `settle`: after a request wakes
  /// it, the thread waits this long so that a burst becomes one run.
  /// `on_error` gets what() of an exception the job threw (the thread goes on).
  Coalescer(std::function<void()> job, std::chrono::milliseconds settle,
            std::function<void(const std::string&)> on_error = nullptr);
  /// stop(true).
  ~Coalescer();
  Coalescer(const Coalescer&) = delete;
  Coalescer& operator=(const Coalescer&) = delete;

  /// Asks for a run after now; returns at once.
  void request();
  /// Ends the thread; with `flush`, a pending request runs first. Idempotent.
  void stop(bool flush = true);
  /// Runs that finished (thrown or not).
  long runs() const;
  /// Requests made.
  long requests() const;

 private:
  void loop();

  std::function<void()> job_;
  std::chrono::milliseconds settle_;
  std::function<void(const std::string&)> on_error_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;
  bool stopping_ = false;
  bool flush_ = true;
  long runs_ = 0;
  long requests_ = 0;
  std::thread thread_;
};

}  // namespace greenbench
