#include "campaigns/activity.hpp"

#include "storage/query.hpp"

namespace herald::campaigns {
namespace {

const storage::Query kEventsAfter{"events.after"};
const storage::Query kLastEventId{"events.last_id"};
const storage::Query kActiveCount{"campaigns.active_count"};
const storage::Query kName{"campaigns.name"};
const storage::Query kDeleteBefore{"events.delete_before"};

}  // namespace

std::vector<ActivityEvent> ActivityFeed::events_after(std::int64_t after_id, std::size_t limit) {
  std::vector<ActivityEvent> out;
  out.reserve(limit);
  auto conn = db_.acquire();
  conn->execute(kEventsAfter, {after_id, static_cast<std::int64_t>(limit)}, [&](const storage::Row& r) {
    ActivityEvent e;
    e.id = r.integer(0);
    e.campaign_id = r.integer(1);
    e.lead_id = r.integer(2);
    e.type = r.str(3);
    e.occurred_at = r.integer(4);
    e.user_agent = r.str(5);
    e.ip = r.str(6);
    e.url = r.opt_str(7);
    out.push_back(std::move(e));
  });
  return out;
}

std::int64_t ActivityFeed::last_event_id() {
  std::int64_t out = 0;
  auto conn = db_.acquire();
  conn->execute(kLastEventId, {}, [&](const storage::Row& r) { out = r.integer(0); });
  return out;
}

std::int64_t ActivityFeed::active_count() {
  std::int64_t out = 0;
  auto conn = db_.acquire();
  conn->execute(kActiveCount, {}, [&](const storage::Row& r) { out = r.integer(0); });
  return out;
}

std::size_t ActivityFeed::delete_events(std::int64_t below_id, std::int64_t before_ms, std::size_t limit) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  const auto n = conn->execute(kDeleteBefore, {below_id, before_ms, static_cast<std::int64_t>(limit)});
  tx.commit();
  return static_cast<std::size_t>(n);
}

std::optional<std::string> ActivityFeed::name(std::int64_t campaign_id) {
  std::optional<std::string> out;
  auto conn = db_.acquire();
  conn->execute(kName, {campaign_id}, [&](const storage::Row& r) { out = r.str(0); });
  return out;
}

}  // namespace herald::campaigns
