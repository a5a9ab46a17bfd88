#include "analytics/rollup.hpp"

#include "analytics/fold.hpp"

namespace herald::analytics {

Rollup::Rollup(storage::Database& db, campaigns::Activity& activity, const Clock& clock, RollupOptions options)
    : db_(db), activity_(activity), clock_(clock), options_(options) {}

std::int64_t Rollup::watermark() {
  auto conn = db_.acquire();
  return store_.watermark(*conn);
}

std::size_t Rollup::run_once() {
  const auto from = watermark();
  auto events = activity_.events_after(from, options_.batch);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch()).count();
  if (options_.settle.count() > 0) {
    const auto limit = now - options_.settle.count();
    std::size_t keep = 0;
    while (keep < events.size() && events[keep].occurred_at <= limit) ++keep;
    events.resize(keep);
  }
  if (events.empty()) return 0;
  Fold f = fold(events);

  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  // First: the watermark row is this roller's until the commit.
  if (!store_.advance(*conn, from, f.last_id, now)) return 0;
  // A constant number of statements per batch, whatever its size: the
  // candidates (RETURNING those new), the hours, the days, the links.
  const auto fresh = store_.firsts(*conn, f.firsts);
  for (std::size_t i = 0; i < f.firsts.size(); ++i)
    if (fresh[i]) count_first(f, f.firsts[i]);
  add_totals(f);
  store_.add_hours(*conn, f.hours, f.last_id);
  store_.add_days(*conn, days_of(f));
  store_.add_links(*conn, f.links);
  if (before_commit) before_commit();
  tx.commit();
  return events.size();
}

std::size_t Rollup::run(const std::function<bool()>& stop) {
  std::size_t total = 0;
  for (;;) {
    const auto n = run_once();
    total += n;
    if (n < options_.batch || (stop && stop())) return total;
  }
}

}  // namespace herald::analytics
