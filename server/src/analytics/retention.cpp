#include "analytics/retention.hpp"

namespace herald::analytics {

Retention::Retention(storage::Database& db, campaigns::Activity& activity, const Clock& clock, int days,
                     std::size_t batch)
    : db_(db), activity_(activity), clock_(clock), days_(days), batch_(batch) {}

std::size_t Retention::run_once() {
  if (!enabled()) return 0;
  std::int64_t watermark = 0;
  {
    auto conn = db_.acquire();
    watermark = store_.watermark(*conn);
  }
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch()).count();
  const std::int64_t cutoff = now - static_cast<std::int64_t>(days_) * 86'400'000;
  // Below the watermark: rolled up. The event at the watermark stays, so the
  // log's highest id never falls below it.
  return activity_.delete_events(watermark, cutoff, batch_);
}

std::size_t Retention::run(const std::function<bool()>& stop) {
  std::size_t total = 0;
  for (;;) {
    const auto n = run_once();
    total += n;
    if (n < batch_ || (stop && stop())) return total;
  }
}

}  // namespace herald::analytics
