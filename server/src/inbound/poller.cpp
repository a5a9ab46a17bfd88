#include "inbound/poller.hpp"

#include "core/log.hpp"

namespace herald::inbound {

PollResult poll(ImapSession& mailbox, Processor& processor, const std::function<bool()>& stop, std::size_t limit) {
  PollResult r;
  for (const auto uid : mailbox.waiting()) {
    if (r.fetched >= limit || stop()) break;
    const auto raw = mailbox.fetch(uid);
    ++r.fetched;
    Processed p;
    try {
      p = processor.process(raw);
    } catch (const std::exception& e) {
      log::warn("inbound message not applied; it stays in the mailbox for the next poll",
                {{"uid", std::to_string(uid)}, {"error", e.what()}});
      mailbox.mark_failed(uid);
      ++r.failed;
      continue;
    }
    if (p.duplicate) ++r.duplicates;
    if (p.held) {
      mailbox.mark_failed(uid);  // another worker is applying it: the next poll sees its outcome
    } else if (p.handled) {
      mailbox.mark_handled(uid);
      ++r.handled;
    } else {
      mailbox.mark_skipped(uid);
      ++r.skipped;
    }
  }
  return r;
}

}  // namespace herald::inbound
