// The roll-up: folds the event log (campaigns::Activity) into the hourly, daily
// and per-link aggregates, from the high-water mark of event id, one batch
// per transaction. The watermark moves in the same transaction as the
// counts, and only from the value this roller read, so a roll-up killed
// half-way leaves nothing behind and the next one redoes the batch, and two
// rollers at once never count an event twice.
//
// PostgreSQL hands out event ids before the inserting transaction commits,
// so a later id can become visible before an earlier one; `settle` keeps the
// roller away from events younger than that (a write commits within it).
// SQLite has one writer at a time: ids become visible in order.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "analytics/store.hpp"
#include "campaigns/interface.hpp"
#include "core/clock.hpp"
#include "storage/database.hpp"

namespace herald::analytics {

struct RollupOptions {
  std::size_t batch = 5000;
  std::chrono::milliseconds settle{0};
};

class Rollup {
 public:
  Rollup(storage::Database& db, campaigns::Activity& activity, const Clock& clock, RollupOptions options);

  // One batch. Returns the events accounted for: 0 when none are waiting (or
  // another roller moved the watermark first).
  std::size_t run_once();
  // Batches until caught up or `stop()` answers true; returns the events.
  std::size_t run(const std::function<bool()>& stop = {});
  std::int64_t watermark();

  // Tests: called after the batch's writes, before its commit (throw to crash there).
  std::function<void()> before_commit;

 private:
  storage::Database& db_;
  campaigns::Activity& activity_;
  const Clock& clock_;
  RollupOptions options_;
  Store store_;
};

}  // namespace herald::analytics
