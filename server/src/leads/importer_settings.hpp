// Tuning of the CSV importer (see leads/importer.hpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace herald::leads {

struct ImporterSettings {
  std::size_t batch_rows = 50000;  // records per transaction (and per checkpoint)
  // A claim without a heartbeat (a committed batch) this long may be taken
  // over, and the reconciler enqueues its job again. 0 = 60 s; the app uses
  // twice HERALD_JOB_VISIBILITY_TIMEOUT.
  std::chrono::milliseconds stale_after{0};
  std::int64_t max_errors_stored = 100000;  // the report keeps the first ones; the counts stay exact
};

}  // namespace herald::leads
