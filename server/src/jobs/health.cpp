#include "jobs/health.hpp"

namespace herald::jobs {

health::CheckResult QueueCheck::check() {
  health::CheckResult r;
  try {
    std::int64_t pending = 0, scheduled = 0, active = 0, failed = 0;
    double oldest = 0;
    for (auto name : kQueues) {
      const auto s = queue_.stats(std::string(name));
      pending += s.pending;
      scheduled += s.scheduled;
      active += s.active;
      failed += s.failed;
      oldest = std::max(oldest, s.oldest_pending_age_s);
    }
    const auto workers = queue_.live_workers(alive_within_);
    std::int64_t threads = 0;
    for (const auto& w : workers) threads += w.concurrency;
    // Work waiting with nobody to do it is the one state worth flagging.
    r.status = pending > 0 && workers.empty() ? "degraded" : "healthy";
    r.details = {{"backend", std::string(queue_.backend())},
                 {"backlog", pending},
                 {"scheduled", scheduled},
                 {"active", active},
                 {"failed", failed},
                 {"oldest_pending_age_s", oldest},
                 {"workers_alive", static_cast<std::int64_t>(workers.size())},
                 {"worker_threads", threads}};
    if (workers.empty()) r.details["error"] = "no worker has sent a heartbeat recently";
  } catch (const std::exception& e) {
    r.status = "unhealthy";
    r.details = {{"backend", std::string(queue_.backend())}, {"error", e.what()}};
  }
  return r;
}

}  // namespace herald::jobs
