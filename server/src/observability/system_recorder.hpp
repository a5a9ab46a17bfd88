// Writes this process's share of the admin figures every few seconds: the
// growth of its HTTP counters as per-minute rows, and the users it saw.
// A failed write is retried at the next tick with the same absolute rows, so
// nothing counts twice; rows wait up to two hours for a database to return.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "observability/http_metrics.hpp"
#include "observability/system_figures.hpp"
#include "observability/system_store.hpp"

namespace herald::observability {

struct RecorderOptions {
  std::chrono::milliseconds interval{5000};
  // Rows and users older than this are deleted (once an hour, by any process).
  std::chrono::hours retention{24 * 8};
  // This process's key in system_minutes; host/pid/start time when empty.
  std::string process;
};

// host/pid/start milliseconds (and /n for the n-th recorder of a process): unique per process run.
std::string process_key();

class SystemRecorder {
 public:
  // Starts the thread; `http`, `users`, `store` and `clock` must outlive it.
  SystemRecorder(const HttpMetrics& http, ActiveUsers& users, SystemFiguresStore& store, const Clock& clock,
                 RecorderOptions options = {});
  // Stops the thread after a last flush.
  ~SystemRecorder();
  SystemRecorder(const SystemRecorder&) = delete;
  SystemRecorder& operator=(const SystemRecorder&) = delete;

  // Writes now (the admin route calls this before reading, so its own
  // process's last seconds are included). False when the write failed.
  bool flush();
  const std::string& process() const noexcept { return options_.process; }

 private:
  void run();

  const HttpMetrics& http_;
  ActiveUsers& users_;
  SystemFiguresStore& store_;
  const Clock& clock_;
  RecorderOptions options_;

  std::mutex flush_mutex_;  // one flush at a time: the accumulator is single-threaded
  MinuteAccumulator accumulator_;
  std::int64_t last_prune_minute_ = 0;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::observability
