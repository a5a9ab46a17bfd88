// SQL access for campaigns (server/sql/*/campaigns.sql): rows to types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "campaigns/types.hpp"
#include "storage/database.hpp"

namespace herald::campaigns {

struct ActiveCampaign {
  std::int64_t id = 0;
  Status status = Status::Draft;
  std::int64_t generation = 0;
  bool expanded = false;
  std::optional<std::int64_t> progress_at;
  std::optional<std::string> scheduled_at;
};

class CampaignStore {
 public:
  std::int64_t insert(storage::Connection& c, const Campaign& campaign, const std::string& now);
  std::optional<Campaign> get(storage::Connection& c, std::int64_t id);
  std::vector<Campaign> list(storage::Connection& c, std::string_view status, std::int64_t limit, std::int64_t offset);
  std::int64_t count(storage::Connection& c, std::string_view status);
  // Scheduled, sending or paused (campaigns/interface.hpp, Campaigns::active_count).
  std::int64_t active_count(storage::Connection& c);
  std::vector<std::pair<std::string, std::int64_t>> count_by_status(storage::Connection& c);
  // False when the campaign is no longer in `expected` status.
  bool update(storage::Connection& c, const Campaign& campaign, Status expected, const std::string& now);
  bool remove(storage::Connection& c, std::int64_t id);

  // The new generation, or nullopt when the status had changed.
  std::optional<std::int64_t> schedule(storage::Connection& c, std::int64_t id, const std::string& now);
  std::optional<std::int64_t> start(storage::Connection& c, std::int64_t id, std::int64_t version, Status from,
                                    const std::string& now, std::int64_t now_ms);
  bool pause(storage::Connection& c, std::int64_t id, const std::string& now);
  std::optional<std::int64_t> resume(storage::Connection& c, std::int64_t id, const std::string& now,
                                     std::int64_t now_ms);
  bool cancel(storage::Connection& c, std::int64_t id, const std::string& now);
  bool fail(storage::Connection& c, std::int64_t id, const std::string& error, const std::string& now);
  bool expand_step(storage::Connection& c, std::int64_t id, std::int64_t from, std::int64_t to, bool done,
                   std::int64_t now_ms);
  void touch(storage::Connection& c, std::int64_t id, std::int64_t now_ms);
  bool complete_if_done(storage::Connection& c, std::int64_t id, const std::string& now);
  std::vector<ActiveCampaign> active(storage::Connection& c);
};

}  // namespace herald::campaigns
