#include "observability/system_store.hpp"

#include <cmath>
#include <limits>

#include "storage/query.hpp"

namespace herald::observability {
namespace {

using storage::Param;
using storage::Row;

// The open-ended last bucket's key in system_minute_latency.le_us.
constexpr std::int64_t kInfinityUs = std::numeric_limits<std::int64_t>::max();

std::int64_t bucket_key(std::size_t slot) {
  return slot < kLatencyBoundsUs.size() ? kLatencyBoundsUs[slot] : kInfinityUs;
}

// The bucket a stored bound belongs to: the first whose bound is at least it
// (so rows written under other bounds still land somewhere sensible).
std::size_t slot_of_key(std::int64_t le_us) {
  for (std::size_t i = 0; i < kLatencyBounds.size(); ++i) {
    if (le_us <= bucket_key(i)) return i;
  }
  return kLatencyBounds.size();
}

std::int64_t i64(std::uint64_t v) {
  return v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
             ? std::numeric_limits<std::int64_t>::max()
             : static_cast<std::int64_t>(v);
}

std::uint64_t u64(std::int64_t v) { return v > 0 ? static_cast<std::uint64_t>(v) : 0; }

const storage::Query kPutMinute{"observability.put_minute"};
const storage::Query kPutLatency{"observability.put_latency"};
const storage::Query kSeenUser{"observability.seen_user"};
const storage::Query kSumMinutes{"observability.sum_minutes"};
const storage::Query kSumLatency{"observability.sum_latency"};
const storage::Query kSeries{"observability.series"};
const storage::Query kActiveUsers{"observability.active_users"};
const storage::Query kPruneMinutes{"observability.prune_minutes"};
const storage::Query kPruneLatency{"observability.prune_latency"};
const storage::Query kPruneUsers{"observability.prune_users"};

}  // namespace

SystemFiguresStore::SystemFiguresStore(storage::Database& db) : db_(db) {}

void SystemFiguresStore::write(std::string_view process, const std::vector<MinuteRow>& rows,
                               const std::vector<std::int64_t>& users, std::int64_t minute) {
  if (rows.empty() && users.empty()) return;
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  for (const auto& r : rows) {
    conn->execute(kPutMinute, {r.minute, process, i64(r.calls), i64(r.errors), i64(r.latency.sum_ns / 1000)});
    for (std::size_t slot = 0; slot < kLatencySlots; ++slot) {
      if (r.latency.buckets[slot] == 0) continue;
      conn->execute(kPutLatency, {r.minute, process, bucket_key(slot), i64(r.latency.buckets[slot])});
    }
  }
  for (auto user : users) conn->execute(kSeenUser, {user, minute});
  tx.commit();
}

TrafficSummary SystemFiguresStore::summary(std::int64_t from_minute, std::int64_t to_minute) {
  TrafficSummary s;
  auto conn = db_.acquire();
  conn->execute(kSumMinutes, {from_minute, to_minute}, [&](const Row& r) {
    s.calls = u64(r.integer(0));
    s.errors = u64(r.integer(1));
    s.latency.sum_ns = u64(r.integer(2)) * 1000;
  });
  conn->execute(kSumLatency, {from_minute, to_minute},
                [&](const Row& r) { s.latency.buckets[slot_of_key(r.integer(0))] += u64(r.integer(1)); });
  return s;
}

std::vector<MinuteRow> SystemFiguresStore::series(std::int64_t from_minute, std::int64_t to_minute) {
  std::vector<MinuteRow> out;
  auto conn = db_.acquire();
  conn->execute(kSeries, {from_minute, to_minute}, [&](const Row& r) {
    MinuteRow row;
    row.minute = r.integer(0);
    row.calls = u64(r.integer(1));
    row.errors = u64(r.integer(2));
    row.latency.sum_ns = u64(r.integer(3)) * 1000;
    out.push_back(row);
  });
  return out;
}

std::int64_t SystemFiguresStore::active_users(std::int64_t since_minute) {
  std::int64_t n = 0;
  db_.acquire()->execute(kActiveUsers, {since_minute}, [&](const Row& r) { n = r.integer(0); });
  return n;
}

void SystemFiguresStore::prune(std::int64_t before_minute) {
  auto conn = db_.acquire();
  storage::Transaction tx(*conn, storage::TxMode::Write);
  conn->execute(kPruneMinutes, {before_minute});
  conn->execute(kPruneLatency, {before_minute});
  conn->execute(kPruneUsers, {before_minute});
  tx.commit();
}

SystemFigures read_figures(SystemFiguresStore& store, std::chrono::system_clock::time_point now) {
  const std::int64_t end = minute_of(now) + 1;  // the current minute included
  const TrafficSummary today = store.summary(day_start_minute(now), end);
  const TrafficSummary day = store.summary(end - kMinutesPerDay, end);
  return compute_figures(today, day, store.active_users(end - kMinutesPerDay));
}

}  // namespace herald::observability
