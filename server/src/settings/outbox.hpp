// The built-in outbox: where mail goes while no SMTP server is set
// (HERALD_SMTP_URL unset), so a new installation shows exactly what would
// have been sent. Messages are rows of outbox_messages in the database, so
// every process — `herald serve`, any number of `herald worker` — writes to
// one place without locking files, and the admin listing pages by index.
//
// Campaigns deliver through settings::Module::transport() (mail::Transport):
// that is the SMTP pool when HERALD_SMTP_URL is set and otherwise a
// mail::OutboxTransport over the DbOutboxSink below. A message's campaign is
// read from its Feedback-ID ("c<id>:campaign:…", mail/mime.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "mail/transport.hpp"
#include "settings/store.hpp"
#include "storage/database.hpp"

namespace herald::settings {

struct MessageSummary {
  std::string subject;  // decoded (RFC 2047), unfolded
  std::optional<std::int64_t> campaign_id;
};
// Reads the header block of a whole message. Pure.
MessageSummary summarise_message(std::string_view message);

// RFC 2047 encoded words (B and Q, UTF-8 and ASCII charsets) decoded; other
// text as it is. Pure.
std::string decode_header_text(std::string_view value);

class DbOutboxSink final : public mail::OutboxSink {
 public:
  DbOutboxSink(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  void store(const mail::OutgoingMessage& message) override;

 private:
  storage::Database& db_;
  const Clock& clock_;
  Store store_;
};

}  // namespace herald::settings
