// What the campaigns domain offers later modules: how many campaigns are
// being sent (campaigns::Campaigns, for observability) and its append-only
// event log — what happened to each message, in id order — with a few facts
// about campaigns (campaigns::Activity, for analytics). Other domains hold
// references handed over by the composition root (campaigns::Module::campaigns(),
// ::activity()); they never see the campaigns store, its tables or its SQL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::campaigns {

class Campaigns {  // offered by the campaigns module to later modules
 public:
  virtual ~Campaigns() = default;
  // Active campaigns across the installation: started and not finished —
  // status scheduled, sending or paused (they still have messages to send);
  // drafts, completed and cancelled ones are not. The one definition of
  // "active campaigns": the admin system figures and the analytics overview
  // both count this. Throws when the database is unreachable.
  virtual std::int64_t active_count() = 0;
  // Open and click events this process lost (its tracking buffer was full,
  // or the database refused a batch three times): the metric
  // herald_tracking_events_dropped_total.
  virtual std::uint64_t tracking_events_dropped() const = 0;
};

// One row of the event log. Types: delivered (the recipient's server
// accepted the message), rejected (refused for good, not at RCPT), bounce
// (the mailbox refused at RCPT), open, click (url set), unsubscribe, reply,
// and from the monitored mailbox (Responses): bounce_hard and bounce_soft (a
// delivery report after the message was accepted), complaint (a spam report).
// occurred_at is epoch milliseconds.
struct ActivityEvent {
  std::int64_t id = 0, campaign_id = 0, lead_id = 0;
  std::string type;
  std::int64_t occurred_at = 0;
  std::string user_agent, ip;
  std::optional<std::string> url;
};

// The best local hour of the week to mail each lead, for the "best_time"
// schedule. A later module (advisor) implements it; the composition root
// hands it over with campaigns::Module::set_send_time_advisor. Without one,
// every lead gets the default slot (Tuesday 10:00, UTC or its own zone).
struct SendTimeTarget {
  std::int64_t lead_id = 0;
  std::string timezone;  // IANA name, or empty
};
struct SendSlot {
  int day = 1;    // 0 = Monday … 6 = Sunday, on the lead's clock
  int hour = 10;  // 0–23
};
class SendTimeAdvisor {
 public:
  virtual ~SendTimeAdvisor() = default;
  // One slot per target, in order: the lead's own history when it has
  // enough, else the segment's (when given), else everyone's.
  virtual std::vector<SendSlot> best_slots(const std::vector<SendTimeTarget>& targets,
                                           std::optional<std::int64_t> segment_id) = 0;
};

class Activity {  // offered by the campaigns module to analytics
 public:
  virtual ~Activity() = default;
  // Up to `limit` events with ids above `after_id`, in id order.
  virtual std::vector<ActivityEvent> events_after(std::int64_t after_id, std::size_t limit) = 0;
  // The highest event id (0 when there is none).
  virtual std::int64_t last_event_id() = 0;
  // Active campaigns, as Campaigns::active_count() defines them (scheduled,
  // sending or paused), for the analytics overview's campaigns_active.
  virtual std::int64_t active_count() = 0;
  // Retention: deletes up to `limit` events with ids below `below_id` that
  // occurred before `before_ms` (oldest first, one transaction); returns how
  // many. The log is otherwise append-only (never updated).
  virtual std::size_t delete_events(std::int64_t below_id, std::int64_t before_ms, std::size_t limit) = 0;
  // A campaign's name; nullopt when there is no such campaign.
  virtual std::optional<std::string> name(std::int64_t campaign_id) = 0;
};

// What comes back by mail about a message Herald sent (the inbound module
// reads the monitored mailbox): replies, delivery reports, spam reports.
enum class ResponseKind { Reply, HardBounce, SoftBounce, Complaint };
struct RecipientRef {
  std::int64_t campaign_id = 0, lead_id = 0;
};
class Responses {  // offered by the campaigns module to inbound
 public:
  virtual ~Responses() = default;
  // The recipient whose message carried this Message-ID ("<c1.l2.tag@domain>",
  // compared with the id stored when it was sent); nullopt when none did.
  virtual std::optional<RecipientRef> recipient_of(std::string_view message_id) = 0;
  // Records a response at `at_ms` (epoch ms): its event (reply, bounce_hard,
  // bounce_soft, complaint) and, for a reply or a hard bounce, the
  // recipient's replied_at / bounced_at (the campaign's stats). A recipient's
  // second reply or hard bounce changes nothing. Returns whether an event
  // was written.
  virtual bool record(const RecipientRef& r, ResponseKind kind, std::int64_t at_ms) = 0;
};

}  // namespace herald::campaigns
