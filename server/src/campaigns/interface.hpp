// What the campaigns domain offers the others (analytics): its append-only
// event log — what happened to each message, in id order — and a few facts
// about campaigns. Other domains hold a campaigns::Activity reference handed
// over by the composition root; they never see campaigns' tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace herald::campaigns {

// One row of the event log. Types: delivered (the recipient's server
// accepted the message), rejected (refused for good, not at RCPT), bounce
// (the mailbox refused at RCPT), open, click (url set), unsubscribe, reply.
// occurred_at is epoch milliseconds.
struct ActivityEvent {
  std::int64_t id = 0, campaign_id = 0, lead_id = 0;
  std::string type;
  std::int64_t occurred_at = 0;
  std::string user_agent, ip;
  std::optional<std::string> url;
};

class Activity {
 public:
  virtual ~Activity() = default;
  // Up to `limit` events with ids above `after_id`, in id order.
  virtual std::vector<ActivityEvent> events_after(std::int64_t after_id, std::size_t limit) = 0;
  // The highest event id (0 when there is none).
  virtual std::int64_t last_event_id() = 0;
  // Campaigns scheduled, sending or paused.
  virtual std::int64_t active_count() = 0;
  // A campaign's name; nullopt when there is no such campaign.
  virtual std::optional<std::string> name(std::int64_t campaign_id) = 0;
};

}  // namespace herald::campaigns
