// Per-minute traffic rows of every API process, and when each user was last
// seen (tables of migration 0009, SQL in server/sql/common/observability.sql).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "observability/system_figures.hpp"
#include "storage/database.hpp"

namespace herald::observability {

class SystemFiguresStore {
 public:
  explicit SystemFiguresStore(storage::Database& db);

  // One transaction: this process's rows (absolute counts for their
  // minutes) and the users it saw, as last seen in `minute`.
  void write(std::string_view process, const std::vector<MinuteRow>& rows, const std::vector<std::int64_t>& users,
             std::int64_t minute);

  // Every process's traffic in minutes [from, to).
  TrafficSummary summary(std::int64_t from_minute, std::int64_t to_minute);
  // Per minute in [from, to), summed over processes; minutes without calls
  // are absent; latency holds only the sum.
  std::vector<MinuteRow> series(std::int64_t from_minute, std::int64_t to_minute);
  // Users seen in `since_minute` or later.
  std::int64_t active_users(std::int64_t since_minute);
  // Forgets rows and users older than `before_minute`.
  void prune(std::int64_t before_minute);

 private:
  storage::Database& db_;
};

// The figures at `now`: today (UTC) and the last 24 hours.
SystemFigures read_figures(SystemFiguresStore& store, std::chrono::system_clock::time_point now);

}  // namespace herald::observability
