#include "campaigns/recipient_store.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "storage/query.hpp"

namespace herald::campaigns {
namespace {

const storage::Query kInsertBatch{"recipients.insert_batch"};
const storage::Query kIdsForLeads{"recipients.ids_for_leads"};
const storage::Query kUnfinishedIds{"recipients.unfinished_ids"};
const storage::Query kClaim{"recipients.claim"};
const storage::Query kExtendLease{"recipients.extend_lease"};
const storage::Query kMarkSent{"recipients.mark_sent"};
const storage::Query kMarkSentBatch{"recipients.mark_sent_batch"};
const storage::Query kInsertDeliveredBatch{"events.insert_delivered_batch"};
const storage::Query kMarkDeferred{"recipients.mark_deferred"};
const storage::Query kMarkFailed{"recipients.mark_failed"};
const storage::Query kMarkSkipped{"recipients.mark_skipped"};
const storage::Query kRelease{"recipients.release"};
const storage::Query kCancelWaiting{"recipients.cancel_waiting"};
const storage::Query kCancelClaimed{"recipients.cancel_claimed"};
const storage::Query kNextDue{"recipients.next_due"};
const storage::Query kStranded{"recipients.stranded"};
const storage::Query kStats{"recipients.stats"};
const storage::Query kSentSince{"recipients.sent_since"};
const storage::Query kSentPerMinute{"recipients.sent_per_minute"};
const storage::Query kList{"recipients.list"};
const storage::Query kCount{"recipients.count"};
const storage::Query kExists{"recipients.exists"};
const storage::Query kMarkOpened{"recipients.mark_opened"};
const storage::Query kMarkClicked{"recipients.mark_clicked"};
const storage::Query kMarkUnsubscribed{"recipients.mark_unsubscribed"};
const storage::Query kLinks{"links.for_campaign"};
const storage::Query kInsertLink{"links.insert"};
const storage::Query kHasPersonal{"links.has_personal"};
const storage::Query kRecipientLink{"links.for_recipient"};
const storage::Query kInsertRecipientLink{"links.insert_recipient"};
const storage::Query kInsertEvent{"events.insert"};
const storage::Query kMessageIdOf{"recipients.message_id_of"};
const storage::Query kMarkReplied{"recipients.mark_replied"};
const storage::Query kMarkBouncedLate{"recipients.mark_bounced_late"};
const storage::Query kInsertEvents{"events.insert_batch"};
const storage::Query kMarkEngaged{"recipients.mark_engaged_batch"};
const storage::Query kCountEvents{"events.count"};

// Rows of at most this many recipients per statement (SQLite's JSON and
// PostgreSQL's parameter are both fine with it).
constexpr std::size_t kInsertChunk = 1000;

// PostgreSQL's jsonb cannot hold \u0000 as text (nor a text parameter a NUL):
// one such byte in a user agent must not cost the whole batch.
std::string without_nul(std::string s) {
  std::erase(s, '\0');
  return s;
}

storage::Param code_param(const std::optional<std::int64_t>& code) {
  return code ? storage::Param(*code) : storage::Param(nullptr);
}
storage::Param text_or_null(std::string_view s) { return s.empty() ? storage::Param(nullptr) : storage::Param(s); }

std::vector<std::int64_t> ids(storage::Connection& c, const storage::Query& q,
                              std::initializer_list<storage::Param> params) {
  std::vector<std::int64_t> out;
  c.execute(q, params, [&](const storage::Row& r) { out.push_back(r.integer(0)); });
  return out;
}

std::int64_t single(storage::Connection& c, const storage::Query& q, std::initializer_list<storage::Param> params) {
  std::int64_t out = 0;
  c.execute(q, params, [&](const storage::Row& r) { out = r.integer(0); });
  return out;
}

}  // namespace

void RecipientStore::insert_batch(storage::Connection& c, std::int64_t campaign, const std::vector<NewRecipient>& batch,
                                  std::int64_t now_ms) {
  for (std::size_t at = 0; at < batch.size(); at += kInsertChunk) {
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = at; i < std::min(batch.size(), at + kInsertChunk); ++i)
      rows.push_back({{"l", batch[i].lead_id}, {"e", batch[i].email}, {"d", batch[i].due_at}});
    const auto text = rows.dump();
    c.execute(kInsertBatch, {campaign, now_ms, std::string_view(text)});
  }
}

std::vector<std::int64_t> RecipientStore::ids_for_leads(storage::Connection& c, std::int64_t campaign,
                                                        std::int64_t after_lead, std::int64_t upto_lead) {
  return ids(c, kIdsForLeads, {campaign, after_lead, upto_lead});
}

std::vector<std::int64_t> RecipientStore::unfinished_ids(storage::Connection& c, std::int64_t campaign,
                                                         std::int64_t after, std::int64_t limit) {
  return ids(c, kUnfinishedIds, {campaign, after, limit});
}

std::vector<Claimed> RecipientStore::claim(storage::Connection& c, std::int64_t campaign, std::int64_t first,
                                           std::int64_t last, std::int64_t now_ms, std::int64_t lease_until,
                                           std::string_view owner, std::int64_t limit) {
  std::vector<Claimed> out;
  c.execute(kClaim, {campaign, first, last, now_ms, lease_until, owner, limit}, [&](const storage::Row& r) {
    out.push_back({r.integer(0), r.integer(1), r.str(2), r.integer(3)});
  });
  std::sort(out.begin(), out.end(), [](const Claimed& a, const Claimed& b) { return a.id < b.id; });
  return out;
}

std::vector<std::int64_t> RecipientStore::extend_lease(storage::Connection& c, std::int64_t campaign,
                                                       std::int64_t first, std::int64_t last, std::string_view owner,
                                                       std::int64_t until) {
  return ids(c, kExtendLease, {campaign, first, last, owner, until});
}

bool RecipientStore::mark_sent(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms,
                               const Outcome& o) {
  return c.execute(kMarkSent,
                   {id, owner, now_ms, code_param(o.code), std::string_view(o.reply), text_or_null(o.message_id)}) > 0;
}

std::vector<std::int64_t> RecipientStore::mark_sent_batch(storage::Connection& c, const std::vector<SentRow>& rows) {
  std::vector<std::int64_t> marked;
  if (rows.empty()) return marked;
  nlohmann::json in = nlohmann::json::array();
  for (const auto& r : rows) {
    const Outcome& o = *r.outcome;
    in.push_back({{"i", r.id},
                  {"o", r.owner},
                  {"t", r.now_ms},
                  {"c", o.code ? nlohmann::json(*o.code) : nlohmann::json(nullptr)},
                  {"r", o.reply},
                  {"m", o.message_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.message_id)}});
  }
  const auto text = in.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  nlohmann::json events = nlohmann::json::array();
  const bool events_too = sent_batch_is_one_statement(c.backend());
  c.execute(kMarkSentBatch, {std::string_view(text)}, [&](const storage::Row& r) {
    marked.push_back(r.integer(0));
    if (!events_too) events.push_back({{"c", r.integer(1)}, {"l", r.integer(2)}, {"t", r.integer(3)}});
  });
  if (!events.empty()) {
    const auto ev = events.dump();
    c.execute(kInsertDeliveredBatch, {std::string_view(ev)});
  }
  return marked;
}

bool RecipientStore::mark_deferred(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms,
                                   std::int64_t due_at, const Outcome& o) {
  return c.execute(kMarkDeferred, {id, owner, now_ms, due_at, code_param(o.code), std::string_view(o.reply)}) > 0;
}

bool RecipientStore::mark_failed(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms,
                                 const Outcome& o, bool bounced) {
  return c.execute(kMarkFailed,
                   {id, owner, now_ms, code_param(o.code), std::string_view(o.reply), text_or_null(o.message_id),
                    bounced ? storage::Param(now_ms) : storage::Param(nullptr)}) > 0;
}

bool RecipientStore::mark_skipped(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms,
                                  std::string_view reason) {
  return c.execute(kMarkSkipped, {id, owner, now_ms, reason}) > 0;
}

bool RecipientStore::release(storage::Connection& c, std::int64_t id, std::string_view owner, std::int64_t now_ms,
                             std::int64_t due_at) {
  return c.execute(kRelease, {id, owner, now_ms, due_at}) > 0;
}

bool RecipientStore::cancel_claimed(storage::Connection& c, std::int64_t id, std::string_view owner,
                                    std::int64_t now_ms) {
  return c.execute(kCancelClaimed, {id, owner, now_ms}) > 0;
}

std::int64_t RecipientStore::cancel_waiting(storage::Connection& c, std::int64_t campaign, std::int64_t now_ms) {
  return c.execute(kCancelWaiting, {campaign, now_ms});
}

std::optional<std::int64_t> RecipientStore::next_due(storage::Connection& c, std::int64_t campaign, std::int64_t first,
                                                     std::int64_t last) {
  std::optional<std::int64_t> out;
  c.execute(kNextDue, {campaign, first, last}, [&](const storage::Row& r) { out = r.opt_integer(0); });
  return out;
}

bool RecipientStore::stranded(storage::Connection& c, std::int64_t campaign, std::int64_t before_ms) {
  return c.execute(kStranded, {campaign, before_ms}) > 0;
}

Stats RecipientStore::stats(storage::Connection& c, std::int64_t campaign) {
  Stats s;
  c.execute(kStats, {campaign}, [&](const storage::Row& r) {
    s.recipients = r.integer(0);
    s.queued = r.integer(1);
    s.sending = r.integer(2);
    s.deferred = r.integer(3);
    s.sent = r.integer(4);
    s.failed = r.integer(5);
    s.skipped = r.integer(6);
    s.cancelled = r.integer(7);
    s.opened = r.integer(8);
    s.clicked = r.integer(9);
    s.replied = r.integer(10);
    s.bounced = r.integer(11);
    s.unsubscribed = r.integer(12);
  });
  return s;
}

std::int64_t RecipientStore::sent_since(storage::Connection& c, std::int64_t campaign, std::int64_t since_ms) {
  return single(c, kSentSince, {campaign, since_ms});
}

std::vector<std::pair<std::int64_t, std::int64_t>> RecipientStore::sent_per_minute(storage::Connection& c,
                                                                                   std::int64_t campaign,
                                                                                   std::int64_t since_ms) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  c.execute(kSentPerMinute, {campaign, since_ms},
            [&](const storage::Row& r) { out.emplace_back(r.integer(0), r.integer(1)); });
  return out;
}

std::vector<Recipient> RecipientStore::list(storage::Connection& c, std::int64_t campaign, std::string_view state,
                                            std::int64_t limit, std::int64_t offset) {
  std::vector<Recipient> out;
  c.execute(kList, {campaign, state, limit, offset}, [&](const storage::Row& r) {
    Recipient x;
    x.id = r.integer(0);
    x.campaign_id = r.integer(1);
    x.lead_id = r.integer(2);
    x.email = r.str(3);
    x.state = parse_recipient_state(r.text(4)).value_or(RecipientState::Queued);
    x.attempts = r.integer(5);
    x.due_at = r.integer(6);
    x.reply_code = r.opt_integer(7);
    x.last_reply = r.opt_str(8);
    x.message_id = r.opt_str(9);
    x.sent_at = r.opt_integer(10);
    x.opened_at = r.opt_integer(11);
    x.clicked_at = r.opt_integer(12);
    x.unsubscribed_at = r.opt_integer(13);
    x.updated_at = r.integer(14);
    out.push_back(std::move(x));
  });
  return out;
}

std::int64_t RecipientStore::count(storage::Connection& c, std::int64_t campaign, std::string_view state) {
  return single(c, kCount, {campaign, state});
}

bool RecipientStore::exists(storage::Connection& c, std::int64_t campaign, std::int64_t lead) {
  return c.execute(kExists, {campaign, lead}) > 0;
}

bool RecipientStore::mark_opened(storage::Connection& c, std::int64_t campaign, std::int64_t lead,
                                 std::int64_t now_ms) {
  return c.execute(kMarkOpened, {campaign, lead, now_ms}) > 0;
}

bool RecipientStore::mark_clicked(storage::Connection& c, std::int64_t campaign, std::int64_t lead,
                                  std::int64_t now_ms) {
  return c.execute(kMarkClicked, {campaign, lead, now_ms}) > 0;
}

bool RecipientStore::mark_unsubscribed(storage::Connection& c, std::int64_t campaign, std::int64_t lead,
                                       std::int64_t now_ms) {
  return c.execute(kMarkUnsubscribed, {campaign, lead, now_ms}) > 0;
}

std::vector<std::string> RecipientStore::campaign_links(storage::Connection& c, std::int64_t campaign) {
  std::vector<std::string> out;
  c.execute(kLinks, {campaign}, [&](const storage::Row& r) {
    const auto index = static_cast<std::size_t>(r.integer(0));
    if (index != out.size()) return;  // links are stored 0..n-1; anything else is ignored
    out.push_back(r.str(1));
  });
  return out;
}

void RecipientStore::insert_links(storage::Connection& c, std::int64_t campaign, const std::vector<std::string>& urls) {
  for (std::size_t i = 0; i < urls.size(); ++i)
    c.execute(kInsertLink, {campaign, static_cast<std::int64_t>(i), std::string_view(urls[i])});
}

bool RecipientStore::has_personal_links(storage::Connection& c, std::int64_t campaign) {
  return c.execute(kHasPersonal, {campaign}) > 0;
}

std::optional<std::string> RecipientStore::recipient_link(storage::Connection& c, std::int64_t campaign,
                                                          std::int64_t lead, std::int64_t link) {
  std::optional<std::string> out;
  c.execute(kRecipientLink, {campaign, lead, link}, [&](const storage::Row& r) { out = r.str(0); });
  return out;
}

void RecipientStore::insert_recipient_links(storage::Connection& c, std::int64_t campaign, std::int64_t lead,
                                            const std::vector<std::string>& urls) {
  for (std::size_t i = 0; i < urls.size(); ++i)
    c.execute(kInsertRecipientLink, {campaign, lead, static_cast<std::int64_t>(i), std::string_view(urls[i])});
}

bool RecipientStore::mark_replied(storage::Connection& c, std::int64_t campaign, std::int64_t lead,
                                  std::int64_t at_ms) {
  return c.execute(kMarkReplied, {campaign, lead, at_ms}) > 0;
}

bool RecipientStore::mark_bounced_late(storage::Connection& c, std::int64_t campaign, std::int64_t lead,
                                       std::int64_t at_ms) {
  return c.execute(kMarkBouncedLate, {campaign, lead, at_ms}) > 0;
}

std::optional<std::string> RecipientStore::message_id_of(storage::Connection& c, std::int64_t campaign,
                                                         std::int64_t lead) {
  std::optional<std::string> out;
  c.execute(kMessageIdOf, {campaign, lead}, [&](const storage::Row& r) { out = r.opt_str(0); });
  return out;
}

void RecipientStore::insert_event(storage::Connection& c, const Event& e) {
  c.execute(kInsertEvent,
            {e.campaign_id, e.lead_id, std::string_view(e.type), e.occurred_at, std::string_view(e.user_agent),
             std::string_view(e.ip), e.url ? storage::Param(std::string_view(*e.url)) : storage::Param(nullptr)});
}

namespace {

// Appends `s` as a JSON string: as it is when every byte is printable ASCII
// other than '"' and '\\' (no escaping to do), through nlohmann otherwise.
void append_json_string(std::string& out, std::string_view s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u >= 0x20 && u < 0x7f && ch != '"' && ch != '\\';
  });
  if (plain) {
    out += '"';
    out.append(s);
    out += '"';
    return;
  }
  out += nlohmann::json(without_nul(std::string(s))).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string events_json(const std::vector<Event>& events) {
  // Written directly: building an nlohmann object per event cost the tracking
  // writer more than SQLite's insert of the batch at tens of thousands of
  // opens and clicks a second.
  std::string out;
  out.reserve(events.size() * 160 + 2);
  out += '[';
  for (const auto& e : events) {
    if (out.size() > 1) out += ',';
    out += "{\"c\":";
    out += std::to_string(e.campaign_id);
    out += ",\"l\":";
    out += std::to_string(e.lead_id);
    out += ",\"y\":";
    append_json_string(out, e.type);
    out += ",\"t\":";
    out += std::to_string(e.occurred_at);
    out += ",\"a\":";
    append_json_string(out, e.user_agent);
    out += ",\"p\":";
    append_json_string(out, e.ip);
    out += ",\"u\":";
    if (e.url)
      append_json_string(out, *e.url);
    else
      out += "null";
    out += '}';
  }
  out += ']';
  return out;
}

void RecipientStore::insert_events(storage::Connection& c, const std::vector<Event>& events) {
  if (events.empty()) return;
  const auto text = events_json(events);
  c.execute(kInsertEvents, {std::string_view(text)});
}

std::int64_t RecipientStore::mark_engaged(storage::Connection& c, const std::vector<Engaged>& rows) {
  if (rows.empty()) return 0;
  nlohmann::json in = nlohmann::json::array();
  for (const auto& r : rows) {
    in.push_back({{"c", r.campaign_id},
                  {"l", r.lead_id},
                  {"o", r.first_open},
                  {"k", r.first_click ? nlohmann::json(*r.first_click) : nlohmann::json(nullptr)}});
  }
  const auto text = in.dump();
  return c.execute(kMarkEngaged, {std::string_view(text)});
}

std::int64_t RecipientStore::count_events(storage::Connection& c, std::int64_t campaign, std::string_view type) {
  return single(c, kCountEvents, {campaign, type});
}

}  // namespace herald::campaigns
