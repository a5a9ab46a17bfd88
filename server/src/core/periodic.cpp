#include "core/periodic.hpp"

#include <exception>
#include <utility>

#include "core/log.hpp"

namespace herald {

Periodic::Periodic(std::chrono::milliseconds interval, std::function<void()> look, std::string failure_message)
    : interval_(interval), look_(std::move(look)), failure_message_(std::move(failure_message)) {}

Periodic::~Periodic() { stop(); }

void Periodic::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        look_();
      } catch (const std::exception& e) {
        log::warn(failure_message_, {{"error", e.what()}});
      }
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  });
}

void Periodic::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  // Joined outside the lock: the thread takes it to see stopping_.
  if (thread_.joinable()) thread_.join();
}

}  // namespace herald
