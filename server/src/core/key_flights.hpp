// One computation of a key at a time, per process: begin() is true for the
// caller that is to compute the key (and must end() it, e.g. through a
// Landing); the others wait() for it and then look again at what it stored.
// The caches of kept answers (leads' counts, the rendered segment list) use
// it so that a change is recomputed by one request while the others wait.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_set>

namespace herald {

class KeyFlights {
 public:
  bool begin(const std::string& key) {
    std::lock_guard lock(mutex_);
    return running_.insert(key).second;
  }
  void end(const std::string& key) {
    {
      std::lock_guard lock(mutex_);
      running_.erase(key);
    }
    done_.notify_all();
  }
  bool running(const std::string& key) const {
    std::lock_guard lock(mutex_);
    return running_.contains(key);
  }
  // Returns when no computation of `key` is under way (or after `limit`).
  void wait(const std::string& key, std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    done_.wait_for(lock, limit, [&] { return !running_.contains(key); });
  }

  // Ends the begun computation of `key` when it goes out of scope.
  struct Landing {
    KeyFlights& flights;
    const std::string& key;
    ~Landing() { flights.end(key); }
  };

 private:
  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::unordered_set<std::string> running_;
};

}  // namespace herald
