// One inbound message, start to end: classify it (classify.hpp), claim it
// once (store.hpp), and apply what it means through the owning domains'
// interfaces — campaigns::Responses (the event, the recipient's replied_at /
// bounced_at) and leads::Leads (status and suppression):
//
//   hard bounce → bounce_hard event, lead bounced + suppressed (bounce)
//   soft bounce → bounce_soft event only
//   complaint   → complaint event, lead unsubscribed + suppressed (complaint)
//   reply       → reply event, lead replied (its follow-ups stop)
//   auto-reply, anything else, unreadable → recorded, nothing applied
//
// A report or reply whose Message-ID no recipient was sent with (another
// sender's mail, another installation's, a made-up id) is recorded as
// "unmatched" and changes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "campaigns/interface.hpp"
#include "core/clock.hpp"
#include "inbound/store.hpp"
#include "leads/interface.hpp"

namespace herald::inbound {

struct Processed {
  bool duplicate = false;  // applied before (another poll, another worker): nothing done
  bool held = false;       // another worker holds it right now: leave it for a later poll
  std::string outcome;     // as stored (inbound/store.hpp)
  bool handled = false;    // a report or reply Herald acted on, or an auto-reply: the mailbox may mark it read
};

// Whether an outcome is one Herald acted on (or an auto-reply), which the mailbox marks read.
bool handled_outcome(std::string_view outcome);

class Processor {
 public:
  Processor(Store& store, campaigns::Responses& responses, leads::Leads& leads, const Clock& clock)
      : store_(store), responses_(responses), leads_(leads), clock_(clock) {}

  // Throws when an effect cannot be written (the claim is released, so the
  // next poll tries again); never for what the message holds.
  Processed process(std::string_view raw);

 private:
  Store& store_;
  campaigns::Responses& responses_;
  leads::Leads& leads_;
  const Clock& clock_;
};

}  // namespace herald::inbound
