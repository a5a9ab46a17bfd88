// One poll of the monitored mailbox: every waiting message fetched,
// processed (processor.hpp) and marked (imap.hpp says how).
#pragma once

#include <cstddef>
#include <functional>

#include "inbound/imap.hpp"
#include "inbound/processor.hpp"

namespace herald::inbound {

struct PollResult {
  std::size_t fetched = 0, handled = 0, skipped = 0, duplicates = 0, failed = 0;
};

// At most `limit` messages per poll (the next poll takes the rest). A
// message whose effects cannot be written is put back (unseen) and counted
// failed; an IMAP error ends the poll (thrown).
PollResult poll(ImapSession& mailbox, Processor& processor, const std::function<bool()>& stop, std::size_t limit = 500);

}  // namespace herald::inbound
