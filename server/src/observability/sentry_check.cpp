#include "observability/sentry_check.hpp"

namespace herald::observability {

health::CheckResult SentryCheck::check() {
  health::CheckResult r;
  const ReporterStats s = reporter_.stats();
  if (!s.enabled) {
    r.status = "not_configured";
    r.details = {{"configured", false}};
    return r;
  }
  std::uint64_t lost = 0;
  std::uint64_t delivered = 0;
  {
    std::lock_guard lock(mutex_);
    lost = s.dropped() - last_lost_;
    delivered = s.sent - last_sent_;
    last_lost_ = s.dropped();
    last_sent_ = s.sent;
  }
  r.status = lost > 0 && delivered == 0 ? "degraded" : "healthy";
  r.details = {{"configured", true},
               {"queued", s.queued},
               {"sent", s.sent},
               {"dropped_queue_full", s.dropped_queue_full},
               {"dropped_rate_limited", s.dropped_rate_limited},
               {"failed", s.failed},
               {"sampled_out", s.sampled_out}};
  if (r.status == "degraded")
    r.details["error"] = std::to_string(lost) + " error events not delivered since the last report";
  return r;
}

}  // namespace herald::observability
