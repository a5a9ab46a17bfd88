// SQL access for a campaign's recipients, the links of its messages and its
// tracking events (server/sql/*/campaigns.sql).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "campaigns/types.hpp"
#include "storage/database.hpp"

namespace herald::campaigns {

struct NewRecipient {
  std::int64_t lead_id = 0;
  std::string email;
  std::int64_t due_at = 0;
};

struct Claimed {
  std::int64_t id = 0, lead_id = 0;
  std::string email;
  std::int64_t attempts = 0;
};

struct Outcome {
  std::optional<std::int64_t> code;
  std::string reply;
  std::string message_id;
};

struct Event {
  std::int64_t campaign_id = 0, lead_id = 0;
  std::string type;  // open, click, unsubscribe, bounce, reply
  std::int64_t occurred_at = 0;
  std::string user_agent, ip;
  std::optional<std::string> url;
};

// A batch of events as insert_events binds it: a JSON array of {c, l, y, t,
// a, p, u} (server/sql/*/campaigns.sql, events.insert_batch), in order. NUL
// bytes are left out (PostgreSQL's text cannot hold them) and invalid UTF-8
// becomes U+FFFD; plain printable ASCII (the usual user agent, IP and URL) is
// copied as it is. Pure.
std::string events_json(const std::vector<Event>& events);

// A recipient's first open and first click within one tracking batch
// (campaigns/tracking.hpp's engaged()).
struct Engaged {
  std::int64_t campaign_id = 0, lead_id = 0;
  std::int64_t first_open = 0;              // the first open or click: a click is an open too
  std::optional<std::int64_t> first_click;  // the first click, if any
};

class RecipientStore {
 public:
  void insert_batch(storage::Connection& c, std::int64_t campaign, const std::vector<NewRecipient>& batch,
                    std::int64_t now_ms);
  std::vector<std::int64_t> ids_for_leads(storage::Connection& c, std::int64_t campaign, std::int64_t after_lead,
                                          std::int64_t upto_lead);
  std::vector<std::int64_t> unfinished_ids(storage::Connection& c, std::int64_t campaign, std::int64_t after,
                                           std::int64_t limit);
  std::vector<Claimed> claim(storage::Connection& c, std::int64_t campaign, std::int64_t first, std::int64_t last,
                             std::int64_t now_ms, std::int64_t lease_until, std::string_view owner, std::int64_t limit);
  // The recipients of the range `owner` still holds, their leases now `until`.
  std::vector<std::int64_t> extend_lease(storage::Connection& c, std::int64_t campaign, std::int64_t first,
                                         std::int64_t last, std::string_view owner, std::int64_t until);
  // Each false when the recipient is no longer held by `owner`.
  bool mark_sent(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms,
                 const Outcome& o);
  // Accepted messages of one group commit, in two statements whatever their
  // number: each marked sent (only by its lease's holder) and, for those
  // marked, the "delivered" event. Returns the ids marked.
  struct SentRow {
    std::int64_t id = 0;
    std::string_view owner;
    std::int64_t now_ms = 0;
    const Outcome* outcome = nullptr;
  };
  std::vector<std::int64_t> mark_sent_batch(storage::Connection& c, const std::vector<SentRow>& rows);
  // True where mark_sent_batch is one statement (PostgreSQL: the events are
  // written by the same statement), so it is atomic without a transaction;
  // SQLite's is two.
  static bool sent_batch_is_one_statement(storage::Backend backend) noexcept {
    return backend == storage::Backend::Postgres;
  }
  bool mark_deferred(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms,
                     std::int64_t due_at, const Outcome& o);
  bool mark_failed(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms,
                   const Outcome& o, bool bounced);
  bool mark_skipped(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms,
                    std::string_view reason);
  bool release(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms,
               std::int64_t due_at);
  bool cancel_claimed(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms);
  std::int64_t cancel_waiting(storage::Connection& c, std::int64_t campaign, std::int64_t now_ms);
  std::optional<std::int64_t> next_due(storage::Connection& c, std::int64_t campaign, std::int64_t first,
                                       std::int64_t last);
  bool stranded(storage::Connection& c, std::int64_t campaign, std::int64_t before_ms);

  Stats stats(storage::Connection& c, std::int64_t campaign);
  std::int64_t sent_since(storage::Connection& c, std::int64_t campaign, std::int64_t since_ms);
  std::vector<std::pair<std::int64_t, std::int64_t>> sent_per_minute(storage::Connection& c, std::int64_t campaign,
                                                                     std::int64_t since_ms);
  std::vector<Recipient> list(storage::Connection& c, std::int64_t campaign, std::string_view state, std::int64_t limit,
                              std::int64_t offset);
  std::int64_t count(storage::Connection& c, std::int64_t campaign, std::string_view state);
  bool exists(storage::Connection& c, std::int64_t campaign, std::int64_t lead);

  // First-time marks for tracking; true when this call set it.
  bool mark_opened(storage::Connection& c, std::int64_t campaign, std::int64_t lead, std::int64_t now_ms);
  bool mark_clicked(storage::Connection& c, std::int64_t campaign, std::int64_t lead, std::int64_t now_ms);
  bool mark_unsubscribed(storage::Connection& c, std::int64_t campaign, std::int64_t lead, std::int64_t now_ms);
  // First-time marks for what the monitored mailbox brings; true when this call set it.
  bool mark_replied(storage::Connection& c, std::int64_t campaign, std::int64_t lead, std::int64_t at_ms);
  bool mark_bounced_late(storage::Connection& c, std::int64_t campaign, std::int64_t lead, std::int64_t at_ms);
  // The Message-ID the recipient's message was sent with (nullopt: no such recipient, or not sent).
  std::optional<std::string> message_id_of(storage::Connection& c, std::int64_t campaign, std::int64_t lead);

  std::vector<std::string> campaign_links(storage::Connection& c, std::int64_t campaign);
  void insert_links(storage::Connection& c, std::int64_t campaign, const std::vector<std::string>& urls);
  bool has_personal_links(storage::Connection& c, std::int64_t campaign);
  std::optional<std::string> recipient_link(storage::Connection& c, std::int64_t campaign, std::int64_t lead,
                                            std::int64_t link);
  void insert_recipient_links(storage::Connection& c, std::int64_t campaign, std::int64_t lead,
                              const std::vector<std::string>& urls);

  void insert_event(storage::Connection& c, const Event& e);
  // A batch of events in one statement, in order.
  void insert_events(storage::Connection& c, const std::vector<Event>& events);
  // Stamps each recipient's opened_at / clicked_at where not set yet, in one
  // statement (one entry per recipient). Returns the rows changed.
  std::int64_t mark_engaged(storage::Connection& c, const std::vector<Engaged>& rows);
  std::int64_t count_events(storage::Connection& c, std::int64_t campaign, std::string_view type);
};

}  // namespace herald::campaigns
