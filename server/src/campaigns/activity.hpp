// campaigns::Activity (campaigns/interface.hpp) over the campaigns' tables.
#pragma once

#include "campaigns/interface.hpp"
#include "storage/database.hpp"

namespace herald::campaigns {

class ActivityFeed final : public Activity {
 public:
  explicit ActivityFeed(storage::Database& db) : db_(db) {}

  std::vector<ActivityEvent> events_after(std::int64_t after_id, std::size_t limit) override;
  std::int64_t last_event_id() override;
  std::int64_t active_count() override;
  std::size_t delete_events(std::int64_t below_id, std::int64_t before_ms, std::size_t limit) override;
  std::optional<std::string> name(std::int64_t campaign_id) override;

 private:
  storage::Database& db_;
};

}  // namespace herald::campaigns
