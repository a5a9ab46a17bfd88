// The admin dashboard's traffic figures (GET /api/admin/system): API calls
// today, error rate, average and p95 response time, active users — for the
// whole installation, not one process.
//
// Each API process turns its HTTP counters into per-minute rows (calls,
// 5xx, response-time sum and histogram) and writes them, with the users it
// saw, every few seconds (SystemRecorder); the figures are sums over the rows
// of every process (SystemFiguresStore). This file is the pure part.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "observability/http_metrics.hpp"

namespace herald::observability {

inline constexpr std::int64_t kMinutesPerDay = 1440;

// Minutes since the Unix epoch.
std::int64_t minute_of(std::chrono::system_clock::time_point t) noexcept;
// The first minute of t's UTC day.
std::int64_t day_start_minute(std::chrono::system_clock::time_point t) noexcept;

// API traffic of one minute (one process's, or summed).
struct MinuteRow {
  std::int64_t minute = 0;
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  LatencyCounts latency;  // buckets of kLatencyBounds; latency.count() == calls
};

// Turns the cumulative HttpTotals of a process into per-minute rows. Used by
// one thread (the recorder's).
class MinuteAccumulator {
 public:
  explicit MinuteAccumulator(std::size_t max_rows = 120);

  // Adds what `totals` grew by since the previous call to `minute`'s row.
  void add(const HttpTotals& totals, std::int64_t minute);
  // Rows changed since they were last written, with this process's whole count for their minute.
  std::vector<MinuteRow> pending() const;
  // The pending rows were stored: rows of minutes before `current_minute` are complete and are forgotten.
  void written(std::int64_t current_minute);
  // Rows given up because they could not be written for max_rows minutes.
  std::uint64_t dropped_rows() const noexcept { return dropped_; }

 private:
  struct Entry {
    MinuteRow row;
    bool dirty = false;
  };
  std::size_t max_rows_;
  HttpTotals last_;
  std::map<std::int64_t, Entry> rows_;
  std::uint64_t dropped_ = 0;
};

// The users who made API calls since the last take(). seen() is called per
// authenticated request from any thread: a thread that sees the same user
// again (the common case) touches only thread-local state.
class ActiveUsers {
 public:
  static constexpr std::size_t kMaxPending = 100'000;

  void seen(std::int64_t user_id) noexcept;
  std::vector<std::int64_t> take();
  // Puts users back after a failed write.
  void restore(const std::vector<std::int64_t>& users);

 private:
  std::mutex mutex_;
  std::unordered_set<std::int64_t> pending_;
  std::atomic<std::uint64_t> generation_{1};  // bumped by take(); invalidates thread-local memory
};

// A quantile (0..1) of a latency histogram in seconds, interpolated within
// its bucket as Prometheus' histogram_quantile does; 0 without samples. In
// the open-ended last bucket it is that bucket's lower bound.
double latency_quantile(const LatencyCounts& latency, double q) noexcept;

// Calls, errors and latency summed over processes and minutes.
struct TrafficSummary {
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  LatencyCounts latency;
};

struct SystemFigures {
  std::uint64_t api_calls_today = 0;  // since 00:00 UTC
  std::uint64_t api_calls_24h = 0;
  std::uint64_t errors_24h = 0;
  double error_rate_24h = 0;  // errors / calls, 0..1
  double avg_response_ms_24h = 0;
  double p95_response_ms_24h = 0;
  std::int64_t active_users_24h = 0;
};

SystemFigures compute_figures(const TrafficSummary& today, const TrafficSummary& last_24h,
                              std::int64_t active_users_24h);

// {api_calls_today, api_calls_24h, errors_24h, error_rate_24h,
//  avg_response_ms_24h, p95_response_ms_24h, active_users_24h}
nlohmann::json to_json(const SystemFigures& figures);

}  // namespace herald::observability
