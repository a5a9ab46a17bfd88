// Tuning of the CSV importer (see leads/importer.hpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace herald::leads {

struct ImporterSettings {
  std::size_t batch_rows = 50000;           // records per transaction (and per checkpoint)
  std::chrono::seconds stale_after{60};     // a claim without a heartbeat this long may be taken over
  std::int64_t max_errors_stored = 100000;  // the report keeps the first ones; the counts stay exact
};

}  // namespace herald::leads
