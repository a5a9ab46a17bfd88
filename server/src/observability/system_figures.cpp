#include "observability/system_figures.hpp"

#include <algorithm>
#include <cmath>

namespace herald::observability {
namespace {

std::uint64_t grew(std::uint64_t now, std::uint64_t before) noexcept { return now > before ? now - before : 0; }

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

}  // namespace

std::int64_t minute_of(std::chrono::system_clock::time_point t) noexcept {
  return std::chrono::floor<std::chrono::minutes>(t.time_since_epoch()).count();
}

std::int64_t day_start_minute(std::chrono::system_clock::time_point t) noexcept {
  const std::int64_t m = minute_of(t);
  return m - ((m % kMinutesPerDay) + kMinutesPerDay) % kMinutesPerDay;
}

MinuteAccumulator::MinuteAccumulator(std::size_t max_rows) : max_rows_(std::max<std::size_t>(max_rows, 2)) {}

void MinuteAccumulator::add(const HttpTotals& totals, std::int64_t minute) {
  MinuteRow delta;
  delta.calls = grew(totals.calls, last_.calls);
  delta.errors = grew(totals.errors, last_.errors);
  for (std::size_t i = 0; i < kLatencySlots; ++i)
    delta.latency.buckets[i] = grew(totals.latency.buckets[i], last_.latency.buckets[i]);
  delta.latency.sum_ns = grew(totals.latency.sum_ns, last_.latency.sum_ns);
  last_ = totals;
  if (delta.calls == 0 && delta.errors == 0 && delta.latency.count() == 0) return;

  Entry& e = rows_[minute];
  e.row.minute = minute;
  e.row.calls += delta.calls;
  e.row.errors += delta.errors;
  e.row.latency += delta.latency;
  e.dirty = true;
  while (rows_.size() > max_rows_) {
    rows_.erase(rows_.begin());
    ++dropped_;
  }
}

std::vector<MinuteRow> MinuteAccumulator::pending() const {
  std::vector<MinuteRow> out;
  for (const auto& [minute, e] : rows_) {
    if (e.dirty) out.push_back(e.row);
  }
  return out;
}

void MinuteAccumulator::written(std::int64_t current_minute) {
  for (auto it = rows_.begin(); it != rows_.end();) {
    it->second.dirty = false;
    // The current minute may still grow, and its row is rewritten whole.
    it = it->first < current_minute ? rows_.erase(it) : std::next(it);
  }
}

void ActiveUsers::seen(std::int64_t user_id) noexcept {
  struct Memory {
    const ActiveUsers* owner = nullptr;
    std::uint64_t generation = 0;
    std::int64_t user = 0;
  };
  thread_local Memory memory;
  const std::uint64_t generation = generation_.load(std::memory_order_acquire);
  if (memory.owner == this && memory.generation == generation && memory.user == user_id) return;
  try {
    std::lock_guard lock(mutex_);
    if (pending_.size() < kMaxPending) pending_.insert(user_id);
  } catch (...) {
    return;  // out of memory: this user goes uncounted this time
  }
  memory = {this, generation, user_id};
}

std::vector<std::int64_t> ActiveUsers::take() {
  std::lock_guard lock(mutex_);
  std::vector<std::int64_t> out(pending_.begin(), pending_.end());
  pending_.clear();
  generation_.fetch_add(1, std::memory_order_release);
  return out;
}

void ActiveUsers::restore(const std::vector<std::int64_t>& users) {
  std::lock_guard lock(mutex_);
  for (auto u : users) {
    if (pending_.size() >= kMaxPending) break;
    pending_.insert(u);
  }
}

double latency_quantile(const LatencyCounts& latency, double q) noexcept {
  const std::uint64_t total = latency.count();
  if (total == 0) return 0;
  const double rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(total);
  std::uint64_t below = 0;
  for (std::size_t i = 0; i < kLatencySlots; ++i) {
    const std::uint64_t in_bucket = latency.buckets[i];
    if (in_bucket > 0 && static_cast<double>(below + in_bucket) >= rank) {
      const double lower = i == 0 ? 0.0 : kLatencyBounds[i - 1];
      if (i == kLatencyBounds.size()) return lower;  // open-ended: nothing better to say
      const double upper = kLatencyBounds[i];
      const double within = (rank - static_cast<double>(below)) / static_cast<double>(in_bucket);
      return lower + (upper - lower) * std::clamp(within, 0.0, 1.0);
    }
    below += in_bucket;
  }
  return kLatencyBounds.back();
}

SystemFigures compute_figures(const TrafficSummary& today, const TrafficSummary& last_24h,
                              std::int64_t active_users_24h) {
  SystemFigures f;
  f.api_calls_today = today.calls;
  f.api_calls_24h = last_24h.calls;
  f.errors_24h = last_24h.errors;
  f.active_users_24h = active_users_24h;
  if (last_24h.calls > 0) {
    f.error_rate_24h = static_cast<double>(last_24h.errors) / static_cast<double>(last_24h.calls);
    f.avg_response_ms_24h = static_cast<double>(last_24h.latency.sum_ns) / 1e6 / static_cast<double>(last_24h.calls);
    f.p95_response_ms_24h = latency_quantile(last_24h.latency, 0.95) * 1000.0;
  }
  return f;
}

nlohmann::json to_json(const SystemFigures& f) {
  return {
      {"api_calls_today", f.api_calls_today},
      {"api_calls_24h", f.api_calls_24h},
      {"errors_24h", f.errors_24h},
      {"error_rate_24h", std::round(f.error_rate_24h * 1e6) / 1e6},
      {"avg_response_ms_24h", round3(f.avg_response_ms_24h)},
      {"p95_response_ms_24h", round3(f.p95_response_ms_24h)},
      {"active_users_24h", f.active_users_24h},
  };
}

}  // namespace herald::observability
