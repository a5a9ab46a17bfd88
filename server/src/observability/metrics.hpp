// The process's Prometheus metrics and their text exposition (/metrics).
//
// Counters that move per request live in HttpMetrics (lock-free handles);
// job and mail counters are prometheus-cpp counters resolved once per queue;
// gauges that describe a state (database pool, queue depth, process, Sentry)
// are read from their source when the metrics are rendered, so nothing keeps
// them up to date in between. render() gives the text format that
// prometheus-cpp's TextSerializer writes (version 0.0.4).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "observability/http_metrics.hpp"

namespace herald::storage {
class Database;
}

namespace herald::observability {

class Reporter;

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// How one attempt of a job ended.
enum class JobOutcome {
  Completed,  // herald_jobs_processed_total
  Retrying,   // failed, will run again: herald_jobs_retried_total
  Failed,     // failed for good: herald_jobs_failed_total
};

// Counters of one queue, resolved once (JobMetrics::queue).
class QueueMetrics {
 public:
  QueueMetrics(prometheus::Counter& processed, prometheus::Counter& retried, prometheus::Counter& failed,
               prometheus::Histogram& duration)
      : processed_(processed), retried_(retried), failed_(failed), duration_(duration) {}
  void finished(JobOutcome outcome, std::chrono::nanoseconds duration);

 private:
  prometheus::Counter& processed_;
  prometheus::Counter& retried_;
  prometheus::Counter& failed_;
  prometheus::Histogram& duration_;
};

// A queue's state when scraped (from JobQueue::stats()).
struct QueueDepth {
  std::string queue;
  std::int64_t pending = 0;
  std::int64_t scheduled = 0;
  std::int64_t active = 0;
  std::int64_t failed = 0;
  double oldest_pending_age_seconds = 0;
};

class Metrics {
 public:
  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  HttpMetrics& http() noexcept { return *http_; }

  // Per-queue job counters; resolve once per queue and keep the reference.
  QueueMetrics& queue(std::string_view name);

  // Mail counters, fed by the campaigns sender through MailMonitor; resolve
  // once per reason and keep the reference. `reason` is one of a fixed few
  // (mail::reason_of), never an address or a campaign.
  prometheus::Counter& emails_sent() noexcept { return emails_sent_; }
  prometheus::Counter& emails_failed(std::string_view reason);
  prometheus::Counter& emails_deferred(std::string_view reason);
  void smtp_pool(std::int64_t in_use, std::int64_t idle);

  // Scrape-time sources. Each must outlive this object (or be unset by the
  // owner first); a source that throws is skipped for that scrape.
  void watch_database(const storage::Database& db);
  void watch_queues(std::function<std::vector<QueueDepth>()> source);
  void watch_sentry(const Reporter& reporter);
  // herald_tracking_events_dropped_total, read from `dropped` when scraped.
  void watch_tracking(std::function<std::uint64_t()> dropped);

  // For domains adding their own families: prometheus-cpp's registry, and a
  // callback run before each render (to set gauges from a source).
  prometheus::Registry& registry() noexcept { return *registry_; }
  void on_scrape(std::function<void()> refresh);

  // Everything in the text exposition format.
  std::string render();

 private:
  using Collector = std::function<void(std::vector<prometheus::MetricFamily>&)>;
  void add_collector(Collector c);

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<HttpMetrics> http_;

  prometheus::Family<prometheus::Counter>& jobs_processed_;
  prometheus::Family<prometheus::Counter>& jobs_retried_;
  prometheus::Family<prometheus::Counter>& jobs_failed_;
  prometheus::Family<prometheus::Histogram>& job_duration_;
  prometheus::Counter& emails_sent_;
  prometheus::Family<prometheus::Counter>& emails_failed_;
  prometheus::Family<prometheus::Counter>& emails_deferred_;
  prometheus::Family<prometheus::Gauge>& smtp_connections_;

  std::mutex mutex_;  // queues_, collectors_, refreshers_ and one render at a time
  std::deque<std::pair<std::string, QueueMetrics>> queues_;
  std::vector<Collector> collectors_;
  std::vector<std::function<void()>> refreshers_;
};

}  // namespace herald::observability
