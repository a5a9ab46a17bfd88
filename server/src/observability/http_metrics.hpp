// HTTP request metrics on the hot path: a handle per (route template,
// method), resolved once when the route table is built, whose record() is
// three relaxed atomic additions (status counter, latency bucket, latency
// sum). No label strings are built or looked up per request; the handles
// become Prometheus families only when /metrics is scraped.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

namespace herald::observability {

// Upper bounds of the latency buckets, in microseconds and in seconds; a last
// bucket takes the rest (+Inf).
inline constexpr std::array<std::int64_t, 14> kLatencyBoundsUs = {500,       1'000,     2'500,     5'000,     10'000,
                                                                  25'000,    50'000,    100'000,   250'000,   500'000,
                                                                  1'000'000, 2'500'000, 5'000'000, 10'000'000};
namespace detail {
inline constexpr std::array<double, kLatencyBoundsUs.size()> latency_bounds_seconds() {
  std::array<double, kLatencyBoundsUs.size()> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(kLatencyBoundsUs[i]) / 1e6;
  return out;
}
}  // namespace detail
inline constexpr auto kLatencyBounds = detail::latency_bounds_seconds();
inline constexpr std::size_t kLatencySlots = kLatencyBounds.size() + 1;

namespace detail {
// Status codes Herald answers with get their own series; any other code is
// counted under its class ("4xx"), and a value outside 100..599 as "other".
inline constexpr std::array<int, 38> kTrackedStatuses = {
    101, 200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 406, 408,
    409, 410, 411, 412, 413, 414, 415, 416, 417, 422, 426, 428, 429, 431, 500, 502, 503, 504, 507};
inline constexpr std::size_t kClassSlots = 5;  // 1xx … 5xx
inline constexpr std::size_t kOtherSlot = kTrackedStatuses.size() + kClassSlots;

inline constexpr std::array<std::uint8_t, 600> status_slots() {
  std::array<std::uint8_t, 600> out{};
  for (std::size_t code = 0; code < out.size(); ++code) {
    out[code] = code < 100 ? kOtherSlot : static_cast<std::uint8_t>(kTrackedStatuses.size() + code / 100 - 1);
  }
  for (std::size_t i = 0; i < kTrackedStatuses.size(); ++i) out[kTrackedStatuses[i]] = static_cast<std::uint8_t>(i);
  return out;
}
inline constexpr auto kStatusSlotOf = status_slots();
}  // namespace detail

inline constexpr std::size_t kStatusSlots = detail::kOtherSlot + 1;

// Which counter a status goes to, and that counter's label ("404", "4xx", "other").
inline std::size_t status_slot(int status) noexcept {
  return status >= 0 && status < 600 ? detail::kStatusSlotOf[static_cast<std::size_t>(status)] : detail::kOtherSlot;
}
std::string status_label(std::size_t slot);

// The bucket a duration falls in (the last one is +Inf).
inline std::size_t latency_slot(std::chrono::nanoseconds d) noexcept {
  std::size_t i = 0;
  while (i < kLatencyBoundsUs.size() && d.count() > kLatencyBoundsUs[i] * 1000) ++i;
  return i;
}

// "GET", "POST", …; anything else is "OTHER", so a client cannot grow the label set.
std::string_view method_label(std::string_view method) noexcept;

// Latency counts, per bucket (not cumulative), and their sum.
struct LatencyCounts {
  std::array<std::uint64_t, kLatencySlots> buckets{};
  std::uint64_t sum_ns = 0;
  std::uint64_t count() const noexcept;
  LatencyCounts& operator+=(const LatencyCounts& o) noexcept;
};

// Since start, summed over the routes that count as API calls.
struct HttpTotals {
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;  // answered 5xx
  LatencyCounts latency;
};

class RouteMetrics {
 public:
  RouteMetrics(std::string route, std::string method, bool api_call);
  RouteMetrics(const RouteMetrics&) = delete;
  RouteMetrics& operator=(const RouteMetrics&) = delete;

  void record(int status, std::chrono::nanoseconds duration) noexcept {
    by_status_[status_slot(status)].fetch_add(1, std::memory_order_relaxed);
    latency_[latency_slot(duration)].fetch_add(1, std::memory_order_relaxed);
    latency_sum_ns_.fetch_add(duration.count() > 0 ? static_cast<std::uint64_t>(duration.count()) : 0,
                              std::memory_order_relaxed);
  }

  const std::string& route() const noexcept { return route_; }
  const std::string& method() const noexcept { return method_; }
  bool api_call() const noexcept { return api_call_; }
  std::array<std::uint64_t, kStatusSlots> statuses() const noexcept;
  LatencyCounts latency() const noexcept;

 private:
  const std::string route_;
  const std::string method_;
  const bool api_call_;
  std::array<std::atomic<std::uint64_t>, kStatusSlots> by_status_{};
  std::array<std::atomic<std::uint64_t>, kLatencySlots> latency_{};
  std::atomic<std::uint64_t> latency_sum_ns_{0};
};

// Refusals of one rate class ("api", "login", "public").
class RateClassMetrics {
 public:
  explicit RateClassMetrics(std::string name) : name_(std::move(name)) {}
  void refused() noexcept { refused_.fetch_add(1, std::memory_order_relaxed); }
  const std::string& name() const noexcept { return name_; }
  std::uint64_t count() const noexcept { return refused_.load(std::memory_order_relaxed); }

 private:
  const std::string name_;
  std::atomic<std::uint64_t> refused_{0};
};

class HttpMetrics final : public prometheus::Collectable {
 public:
  HttpMetrics();
  // The handle for a route; the same (route, method) gives the same handle,
  // valid as long as this object. `api_call`: the route counts in the admin
  // figures' API calls (routes under /api except rate class `none`: probes
  // and /metrics would otherwise drown the figure).
  RouteMetrics& route(std::string_view route, std::string_view method, bool api_call = true);
  // Requests no route matched, per method, under the route label "unmatched";
  // the handles exist from the start, so this takes no lock.
  RouteMetrics& unmatched(std::string_view method) noexcept;
  RateClassMetrics& rate_class(std::string_view name);

  // Counts a request in flight while alive.
  class InFlight {
   public:
    explicit InFlight(std::atomic<std::int64_t>& gauge) noexcept : gauge_(&gauge) {
      gauge_->fetch_add(1, std::memory_order_relaxed);
    }
    InFlight(InFlight&& o) noexcept : gauge_(std::exchange(o.gauge_, nullptr)) {}
    InFlight& operator=(InFlight&&) = delete;
    ~InFlight() {
      if (gauge_ != nullptr) gauge_->fetch_sub(1, std::memory_order_relaxed);
    }

   private:
    std::atomic<std::int64_t>* gauge_;
  };
  InFlight track_in_flight() noexcept { return InFlight(in_flight_); }
  // The gauge itself, for a holder that counts a request elsewhere (http::InFlightMark).
  std::atomic<std::int64_t>& in_flight_gauge() noexcept { return in_flight_; }
  std::int64_t in_flight() const noexcept { return in_flight_.load(std::memory_order_relaxed); }

  HttpTotals api_totals() const;

  // herald_http_requests_total, herald_http_request_duration_seconds,
  // herald_http_requests_in_flight, herald_http_rate_limit_refusals_total.
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  mutable std::mutex mutex_;
  std::deque<RouteMetrics> routes_;  // a deque never moves its elements
  std::map<std::pair<std::string, std::string>, RouteMetrics*, std::less<>> index_;
  std::deque<RateClassMetrics> classes_;
  std::array<RouteMetrics*, 8> unmatched_{};  // per method_label(), OTHER last
  std::atomic<std::int64_t> in_flight_{0};
};

}  // namespace herald::observability
