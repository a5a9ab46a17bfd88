#include "observability/mail_monitor.hpp"

namespace herald::observability {

MailMonitor::MailMonitor(Metrics& metrics) {
  for (std::size_t i = 0; i < kOutcomes; ++i) {
    const auto outcome = static_cast<mail::SendOutcome>(i);
    const auto kind = mail::kind_of(outcome);
    if (kind == "sent") {
      counters_[i] = &metrics.emails_sent();
    } else if (kind == "failed") {
      counters_[i] = &metrics.emails_failed(mail::reason_of(outcome));
    } else {
      counters_[i] = &metrics.emails_deferred(mail::reason_of(outcome));
    }
  }
}

void MailMonitor::message_sent(mail::SendOutcome outcome) noexcept {
  const auto i = static_cast<std::size_t>(outcome);
  if (i < kOutcomes) counters_[i]->Increment();
}

}  // namespace herald::observability
