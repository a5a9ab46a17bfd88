// What became of one message handed to a transport.
#pragma once

#include <string>
#include <string_view>

namespace herald::mail {

enum class DeliveryStatus {
  Accepted,  // the server took responsibility (2xx after the message)
  Deferred,  // temporary (4xx, or no connection/TLS/AUTH): retry with back-off
  Rejected,  // permanent (5xx, or a message that cannot be sent): the recipient failed
  Dropped,   // the connection broke during the transaction: retry; see `ambiguous`
};
std::string_view to_string(DeliveryStatus s);

struct DeliveryResult {
  DeliveryStatus status = DeliveryStatus::Deferred;
  int code = 0;       // the SMTP reply code, 0 when there was none
  std::string reply;  // the server's reply ("550 5.1.1 <x>: user unknown") or what went wrong locally
  std::string stage;  // connect, greeting, ehlo, starttls, auth, envelope, size, mail, rcpt, data, message, outbox
  // Dropped after the whole message and its final "." were written: the
  // server may have accepted it. At most one message per connection is ever
  // in this state; a retry may then deliver it twice (same Message-ID).
  bool ambiguous = false;

  bool accepted() const noexcept { return status == DeliveryStatus::Accepted; }
  // Deferred and Dropped: send again later.
  bool retryable() const noexcept { return status == DeliveryStatus::Deferred || status == DeliveryStatus::Dropped; }
  std::string to_string() const;  // "rejected at rcpt: 550 5.1.1 …"
};

// 2xx accepted, 4xx deferred, 5xx (and anything else) rejected.
DeliveryStatus status_for_code(int code) noexcept;

}  // namespace herald::mail
