// The campaigns sender's observer: one relaxed counter increment per message
// outcome (herald_emails_sent_total, herald_emails_failed_total{reason},
// herald_emails_deferred_total{reason}), every series resolved once when the
// monitor is built, so each is exported (at 0) before the first message.
#pragma once

#include <array>

#include <prometheus/counter.h>

#include "mail/send_observer.hpp"
#include "observability/metrics.hpp"

namespace herald::observability {

class MailMonitor final : public mail::SendObserver {
 public:
  // `metrics` must outlive the monitor.
  explicit MailMonitor(Metrics& metrics);
  void message_sent(mail::SendOutcome outcome) noexcept override;

 private:
  static constexpr std::size_t kOutcomes = static_cast<std::size_t>(mail::SendOutcome::DeferredConnection) + 1;
  std::array<prometheus::Counter*, kOutcomes> counters_{};
};

}  // namespace herald::observability
