#include "observability/http_metrics.hpp"

#include <array>
#include <limits>

namespace herald::observability {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr std::array<std::string_view, 7> kMethods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
constexpr std::string_view kUnmatched = "unmatched";

// kMethods' index of a method, kMethods.size() for any other.
std::size_t method_index(std::string_view method) noexcept {
  std::size_t i = 0;
  while (i < kMethods.size() && kMethods[i] != method) ++i;
  return i;
}

ClientMetric::Label label(std::string name, std::string value) { return {std::move(name), std::move(value)}; }

}  // namespace

std::string status_label(std::size_t slot) {
  if (slot < detail::kTrackedStatuses.size()) return std::to_string(detail::kTrackedStatuses[slot]);
  if (slot < detail::kOtherSlot) return std::to_string(slot - detail::kTrackedStatuses.size() + 1) + "xx";
  return "other";
}

std::string_view method_label(std::string_view method) noexcept {
  const std::size_t i = method_index(method);
  return i < kMethods.size() ? kMethods[i] : std::string_view("OTHER");
}

std::uint64_t LatencyCounts::count() const noexcept {
  std::uint64_t n = 0;
  for (auto b : buckets) n += b;
  return n;
}

LatencyCounts& LatencyCounts::operator+=(const LatencyCounts& o) noexcept {
  for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i] += o.buckets[i];
  sum_ns += o.sum_ns;
  return *this;
}

RouteMetrics::RouteMetrics(std::string route, std::string method, bool api_call)
    : route_(std::move(route)), method_(std::move(method)), api_call_(api_call) {}

std::array<std::uint64_t, kStatusSlots> RouteMetrics::statuses() const noexcept {
  std::array<std::uint64_t, kStatusSlots> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = by_status_[i].load(std::memory_order_relaxed);
  return out;
}

LatencyCounts RouteMetrics::latency() const noexcept {
  LatencyCounts out;
  for (std::size_t i = 0; i < out.buckets.size(); ++i) out.buckets[i] = latency_[i].load(std::memory_order_relaxed);
  out.sum_ns = latency_sum_ns_.load(std::memory_order_relaxed);
  return out;
}

RouteMetrics& HttpMetrics::route(std::string_view route, std::string_view method, bool api_call) {
  const std::string_view m = method_label(method);
  std::lock_guard lock(mutex_);
  auto key = std::make_pair(std::string(route), std::string(m));
  if (auto it = index_.find(key); it != index_.end()) return *it->second;
  RouteMetrics& handle = routes_.emplace_back(key.first, key.second, api_call);
  index_.emplace(std::move(key), &handle);
  return handle;
}

HttpMetrics::HttpMetrics() {
  static_assert(std::tuple_size_v<decltype(unmatched_)> == kMethods.size() + 1);
  for (std::size_t i = 0; i < kMethods.size(); ++i) unmatched_[i] = &route(kUnmatched, kMethods[i], false);
  unmatched_[kMethods.size()] = &route(kUnmatched, "OTHER", false);
}

RouteMetrics& HttpMetrics::unmatched(std::string_view method) noexcept { return *unmatched_[method_index(method)]; }

RateClassMetrics& HttpMetrics::rate_class(std::string_view name) {
  std::lock_guard lock(mutex_);
  for (auto& c : classes_) {
    if (c.name() == name) return c;
  }
  return classes_.emplace_back(std::string(name));
}

HttpTotals HttpMetrics::api_totals() const {
  HttpTotals t;
  std::lock_guard lock(mutex_);
  for (const auto& r : routes_) {
    if (!r.api_call()) continue;
    const auto statuses = r.statuses();
    const LatencyCounts latency = r.latency();
    // Calls are counted from the same buckets as the latency, so the two agree.
    t.calls += latency.count();
    t.errors += statuses[detail::kTrackedStatuses.size() + 4];  // 5xx without a series of its own
    for (std::size_t i = 0; i < detail::kTrackedStatuses.size(); ++i) {
      if (detail::kTrackedStatuses[i] >= 500) t.errors += statuses[i];
    }
    t.latency += latency;
  }
  return t;
}

std::vector<MetricFamily> HttpMetrics::Collect() const {
  MetricFamily requests{"herald_http_requests_total",
                        "HTTP requests answered, by route template, method and status",
                        MetricType::Counter,
                        {}};
  MetricFamily duration{"herald_http_request_duration_seconds",
                        "Time from the request head to the response, by route template and method",
                        MetricType::Histogram,
                        {}};
  MetricFamily in_flight{"herald_http_requests_in_flight", "HTTP requests being handled now", MetricType::Gauge, {}};
  MetricFamily refusals{
      "herald_http_rate_limit_refusals_total", "Requests refused with 429, by rate class", MetricType::Counter, {}};

  std::lock_guard lock(mutex_);
  for (const auto& r : routes_) {
    const LatencyCounts latency = r.latency();
    const std::uint64_t count = latency.count();
    if (count == 0) continue;  // a route nobody called adds no series
    const auto statuses = r.statuses();
    for (std::size_t slot = 0; slot < statuses.size(); ++slot) {
      if (statuses[slot] == 0) continue;
      ClientMetric m;
      m.label = {label("method", r.method()), label("route", r.route()), label("status", status_label(slot))};
      m.counter.value = static_cast<double>(statuses[slot]);
      requests.metric.push_back(std::move(m));
    }
    ClientMetric h;
    h.label = {label("method", r.method()), label("route", r.route())};
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencySlots; ++i) {
      cumulative += latency.buckets[i];
      h.histogram.bucket.push_back(
          {cumulative, i < kLatencyBounds.size() ? kLatencyBounds[i] : std::numeric_limits<double>::infinity()});
    }
    h.histogram.sample_count = cumulative;
    h.histogram.sample_sum = static_cast<double>(latency.sum_ns) / 1e9;
    duration.metric.push_back(std::move(h));
  }
  ClientMetric g;
  g.gauge.value = static_cast<double>(in_flight_.load(std::memory_order_relaxed));
  in_flight.metric.push_back(std::move(g));
  for (const auto& c : classes_) {
    ClientMetric m;
    m.label = {label("class", c.name())};
    m.counter.value = static_cast<double>(c.count());
    refusals.metric.push_back(std::move(m));
  }
  return {std::move(requests), std::move(duration), std::move(in_flight), std::move(refusals)};
}

}  // namespace herald::observability
