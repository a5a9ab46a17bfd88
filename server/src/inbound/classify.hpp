// What a message that arrived in the monitored mailbox is, decided from the
// message alone (pure: no I/O, no database). GMime parses it — mail from
// outside is whatever a remote server wrote, so nothing here may crash or
// throw on it.
//
//   multipart/report; report-type=delivery-status (RFC 3464) → Bounce
//     (hard for a 5.x.x status, soft for 4.x.x), with the failed recipient
//     and the original Message-ID from the returned headers or message;
//   multipart/report; report-type=feedback-report (RFC 5965, ARF) → Complaint,
//     with the original Message-ID;
//   Auto-Submitted other than "no" (RFC 3834), X-Autoreply / X-Autorespond,
//     Precedence auto_reply|bulk|junk, an out-of-office Subject → AutoReply;
//   In-Reply-To or References naming one of Herald's Message-IDs
//     (mail::make_message_id) → Reply;
//   anything else → Other; a message GMime cannot read → Unreadable.
// Whether the id is really one Herald sent (the recipient's stored id) is
// for the caller to check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mail/mime.hpp"

namespace herald::inbound {

enum class Kind { Bounce, Complaint, AutoReply, Reply, Other, Unreadable };
std::string_view to_string(Kind k) noexcept;

struct Verdict {
  Kind kind = Kind::Other;
  bool hard = false;        // Bounce: a permanent failure (5.x.x)
  std::string status;       // Bounce: the DSN status, "5.1.1"
  std::string recipient;    // Bounce: the failed address
  std::string diagnostic;   // Bounce: Diagnostic-Code; Complaint: Feedback-Type
  std::string original_id;  // the Herald Message-ID it is about, "<c1.l2.herald@example.com>", or empty
  std::optional<mail::MessageIdParts> original;  // what original_id encodes
  std::string message_id;                        // the inbound message's own Message-ID ("<…>"), or empty
  std::string reason;                            // why an AutoReply or Other is one (for the log and the record)
};

// Never throws for any input.
Verdict classify(std::string_view raw);

// The key a message is processed once by: "mid:<its Message-ID>", or
// "sha256:<hex of the raw bytes>" when it has none.
std::string dedupe_key(const Verdict& v, std::string_view raw);

}  // namespace herald::inbound
