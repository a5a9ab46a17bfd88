// How each campaign message ended, for whoever keeps count (the metrics).
// The campaigns sender reports every message it handed to the transport, or
// could not write, once its outcome is recorded; observers are contributed by
// modules (Contributions::add_send_observer) and must be cheap and noexcept.
// No lead, address or campaign reaches an observer: only the kind of outcome.
#pragma once

#include <string_view>

namespace herald::mail {

enum class SendOutcome {
  Sent,                // the server accepted the message (250)
  Bounced,             // failed for good: 5xx to RCPT TO (the lead is bounced)
  Rejected,            // failed for good: another 5xx (after DATA, MAIL FROM)
  GaveUp,              // failed for good: still deferred after the last attempt
  Invalid,             // failed for good: the message could not be written
  DeferredTemporary,   // to be retried: a 4xx reply
  DeferredConnection,  // to be retried: the connection failed or dropped
};

// "sent", "failed" or "deferred".
constexpr std::string_view kind_of(SendOutcome o) noexcept {
  switch (o) {
    case SendOutcome::Sent:
      return "sent";
    case SendOutcome::DeferredTemporary:
    case SendOutcome::DeferredConnection:
      return "deferred";
    default:
      return "failed";
  }
}

// The `reason` label of a failed or deferred message ("" for a sent one).
constexpr std::string_view reason_of(SendOutcome o) noexcept {
  switch (o) {
    case SendOutcome::Sent:
      return "";
    case SendOutcome::Bounced:
      return "bounced";
    case SendOutcome::Rejected:
      return "rejected";
    case SendOutcome::GaveUp:
      return "attempts_exhausted";
    case SendOutcome::Invalid:
      return "invalid_message";
    case SendOutcome::DeferredTemporary:
      return "temporary";
    case SendOutcome::DeferredConnection:
      return "connection";
  }
  return "";
}

class SendObserver {
 public:
  virtual ~SendObserver() = default;
  virtual void message_sent(SendOutcome outcome) noexcept = 0;
};

}  // namespace herald::mail
