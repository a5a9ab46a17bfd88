// The "sentry" entry of the health report: whether error reporting is
// configured, and what became of the events (sent, queued, dropped, failed).
// Not critical: Herald serves without Sentry. Degraded while events are being
// lost: some were dropped or failed since the previous report and none was
// delivered in between.
#pragma once

#include <cstdint>
#include <mutex>

#include "health/interface.hpp"
#include "observability/sentry.hpp"

namespace herald::observability {

class SentryCheck final : public health::HealthCheck {
 public:
  explicit SentryCheck(const Reporter& reporter) : reporter_(reporter) {}
  std::string name() const override { return "sentry"; }
  bool critical() const override { return false; }
  health::CheckResult check() override;

 private:
  const Reporter& reporter_;
  std::mutex mutex_;
  std::uint64_t last_lost_ = 0;
  std::uint64_t last_sent_ = 0;
};

}  // namespace herald::observability
