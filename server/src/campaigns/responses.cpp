#include "campaigns/responses.hpp"

#include "mail/mime.hpp"

namespace herald::campaigns {
namespace {

std::string event_type(ResponseKind k) {
  switch (k) {
    case ResponseKind::Reply:
      return "reply";
    case ResponseKind::HardBounce:
      return "bounce_hard";
    case ResponseKind::SoftBounce:
      return "bounce_soft";
    case ResponseKind::Complaint:
      return "complaint";
  }
  return "reply";
}

}  // namespace

std::optional<RecipientRef> ResponseLog::recipient_of(std::string_view message_id) {
  const auto parts = mail::parse_message_id(message_id);
  if (!parts) return std::nullopt;
  std::optional<std::string> stored;
  {
    auto conn = db_.acquire();
    stored = recipients_.message_id_of(*conn, parts->campaign_id, parts->lead_id);
  }
  // The whole id, tag and domain included: another installation's (or a
  // made-up) id with the same numbers is not ours.
  if (!stored || mail::normalize_message_id(*stored) != mail::normalize_message_id(message_id)) return std::nullopt;
  return RecipientRef{parts->campaign_id, parts->lead_id};
}

bool ResponseLog::record(const RecipientRef& r, ResponseKind kind, std::int64_t at_ms) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  if (kind == ResponseKind::Reply && !recipients_.mark_replied(*conn, r.campaign_id, r.lead_id, at_ms)) return false;
  if (kind == ResponseKind::HardBounce && !recipients_.mark_bounced_late(*conn, r.campaign_id, r.lead_id, at_ms))
    return false;
  Event e;
  e.campaign_id = r.campaign_id;
  e.lead_id = r.lead_id;
  e.type = event_type(kind);
  e.occurred_at = at_ms;
  recipients_.insert_event(*conn, e);
  tx.commit();
  return true;
}

}  // namespace herald::campaigns
