// A background thread that runs one look now and then every `interval` until
// stopped: what the roll-up's and the inbound mailbox's wakers share (each
// decides in its look whether to enqueue a job). A look that throws is
// logged as a warning (the given message, with the error) and the next one
// comes at its time. start() and stop() may be called in any order, any
// number of times; stop() returns once the thread has ended (a look under
// way finishes first). The wait is interrupted by stop(), not by a look.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace herald {

class Periodic {
 public:
  Periodic(std::chrono::milliseconds interval, std::function<void()> look, std::string failure_message);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  void start();
  void stop();
  std::chrono::milliseconds interval() const noexcept { return interval_; }

 private:
  std::chrono::milliseconds interval_;
  std::function<void()> look_;
  std::string failure_message_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald
