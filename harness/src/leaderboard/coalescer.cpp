#include "leaderboard/coalescer.h"

#include <exception>

namespace greenbench {

Coalescer::Coalescer(std::function<void()> job, std::chrono::milliseconds settle,
                     std::function<void(const std::string&)> on_error)
    : job_(std::move(job)), settle_(settle), on_error_(std::move(on_error)) {
  thread_ = std::thread([this] { loop(); });
}

Coalescer::~Coalescer() { stop(true); }

void Coalescer::request() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    pending_ = true;
    ++requests_;
  }
  wake_.notify_one();
}

void Coalescer::stop(bool flush) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      flush_ = flush;
    }
  }
  wake_.notify_one();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

long Coalescer::runs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return runs_;
}

long Coalescer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

void Coalescer::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return pending_ || stopping_; });
    if (stopping_ && (!pending_ || !flush_)) return;
    // Let a burst of requests gather; stop() cuts the wait short.
    if (!stopping_ && settle_.count() > 0) wake_.wait_for(lock, settle_, [this] { return stopping_; });
    if (stopping_ && !flush_) return;
    pending_ = false;  // requests from here on ask for another run
    lock.unlock();
    std::string error;
    try {
      if (job_) job_();
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown exception";
    }
    if (!error.empty() && on_error_) on_error_(error);
    lock.lock();
    ++runs_;
  }
}

}  // namespace greenbench
