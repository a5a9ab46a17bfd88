// Retention of the raw event log: events older than HERALD_ANALYTICS_RETENTION_DAYS
// are deleted in bounded batches (one transaction each) by the
// analytics.retention job, once the roll-ups have taken them in — only events
// below the watermark go, so a report never loses what they counted; the
// roll-ups (hourly, daily, links, firsts) are kept. 0 days keeps every event.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "analytics/store.hpp"
#include "campaigns/interface.hpp"
#include "core/clock.hpp"
#include "storage/database.hpp"

namespace herald::analytics {

class Retention {
 public:
  Retention(storage::Database& db, campaigns::Activity& activity, const Clock& clock, int days,
            std::size_t batch = 5000);

  bool enabled() const noexcept { return days_ > 0; }
  // One batch: the events deleted (0 when none is due).
  std::size_t run_once();
  // Batches until none is due or `stop()` answers true; returns the events deleted.
  std::size_t run(const std::function<bool()>& stop = {});

 private:
  storage::Database& db_;
  campaigns::Activity& activity_;
  const Clock& clock_;
  int days_;
  std::size_t batch_;
  Store store_;
};

}  // namespace herald::analytics
