#include "observability/metrics.hpp"

#include <prometheus/text_serializer.h>

#include "core/log.hpp"
#include "observability/process_metrics.hpp"
#include "observability/sentry.hpp"
#include "storage/database.hpp"

namespace herald::observability {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

const prometheus::Histogram::BucketBoundaries kJobBuckets = {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300};

ClientMetric sample(std::vector<ClientMetric::Label> labels, MetricType type, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  if (type == MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  return m;
}

MetricFamily single(std::string name, std::string help, MetricType type, double value) {
  return {std::move(name), std::move(help), type, {sample({}, type, value)}};
}

}  // namespace

void QueueMetrics::finished(JobOutcome outcome, std::chrono::nanoseconds duration) {
  switch (outcome) {
    case JobOutcome::Completed:
      processed_.Increment();
      break;
    case JobOutcome::Retrying:
      retried_.Increment();
      break;
    case JobOutcome::Failed:
      failed_.Increment();
      break;
  }
  duration_.Observe(std::chrono::duration<double>(duration).count());
}

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      http_(std::make_shared<HttpMetrics>()),
      jobs_processed_(prometheus::BuildCounter()
                          .Name("herald_jobs_processed_total")
                          .Help("Jobs that completed, by queue")
                          .Register(*registry_)),
      jobs_retried_(prometheus::BuildCounter()
                        .Name("herald_jobs_retried_total")
                        .Help("Job attempts that failed and will run again, by queue")
                        .Register(*registry_)),
      jobs_failed_(prometheus::BuildCounter()
                       .Name("herald_jobs_failed_total")
                       .Help("Jobs that failed for good (attempts used up or a permanent error), by queue")
                       .Register(*registry_)),
      job_duration_(prometheus::BuildHistogram()
                        .Name("herald_job_duration_seconds")
                        .Help("Time one job attempt ran, by queue")
                        .Register(*registry_)),
      emails_sent_(prometheus::BuildCounter()
                       .Name("herald_emails_sent_total")
                       .Help("Messages the SMTP server accepted")
                       .Register(*registry_)
                       .Add({})),
      emails_failed_(prometheus::BuildCounter()
                         .Name("herald_emails_failed_total")
                         .Help("Messages that failed for good, by reason (bounced, rejected, attempts_exhausted, "
                               "invalid_message)")
                         .Register(*registry_)),
      emails_deferred_(prometheus::BuildCounter()
                           .Name("herald_emails_deferred_total")
                           .Help("Sends that failed temporarily and will be retried, by reason (temporary: a 4xx; "
                                 "connection: no connection or a dropped one)")
                           .Register(*registry_)),
      smtp_connections_(prometheus::BuildGauge()
                            .Name("herald_smtp_connections")
                            .Help("Pooled SMTP connections, by state (in_use, idle)")
                            .Register(*registry_)) {
  prometheus::BuildGauge()
      .Name("herald_build_info")
      .Help("Always 1; the labels say which build is running")
      .Register(*registry_)
      .Add({{"version", HERALD_VERSION}})
      .Set(1);
  smtp_pool(0, 0);
  add_collector([](std::vector<MetricFamily>& out) {
    if (const auto s = read_process_sample()) {
      for (auto& f : process_families(*s)) out.push_back(std::move(f));
    }
  });
}

QueueMetrics& Metrics::queue(std::string_view name) {
  std::lock_guard lock(mutex_);
  for (auto& [n, q] : queues_) {
    if (n == name) return q;
  }
  const prometheus::Labels labels{{"queue", std::string(name)}};
  auto& entry = queues_.emplace_back(
      std::string(name), QueueMetrics(jobs_processed_.Add(labels), jobs_retried_.Add(labels), jobs_failed_.Add(labels),
                                      job_duration_.Add(labels, kJobBuckets)));
  return entry.second;
}

// prometheus-cpp's Family::Add is synchronised itself.
prometheus::Counter& Metrics::emails_failed(std::string_view reason) {
  return emails_failed_.Add({{"reason", std::string(reason)}});
}

prometheus::Counter& Metrics::emails_deferred(std::string_view reason) {
  return emails_deferred_.Add({{"reason", std::string(reason)}});
}

void Metrics::smtp_pool(std::int64_t in_use, std::int64_t idle) {
  smtp_connections_.Add({{"state", "in_use"}}).Set(static_cast<double>(in_use));
  smtp_connections_.Add({{"state", "idle"}}).Set(static_cast<double>(idle));
}

void Metrics::add_collector(Collector c) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(c));
}

void Metrics::on_scrape(std::function<void()> refresh) {
  std::lock_guard lock(mutex_);
  refreshers_.push_back(std::move(refresh));
}

void Metrics::watch_database(const storage::Database& db) {
  add_collector([&db](std::vector<MetricFamily>& out) {
    const storage::PoolStats s = db.pool_stats();
    out.push_back({"herald_db_pool_connections",
                   "Database connections, by state (in_use: leased now, idle: pooled)",
                   MetricType::Gauge,
                   {sample({{"state", "in_use"}}, MetricType::Gauge, static_cast<double>(s.in_use())),
                    sample({{"state", "idle"}}, MetricType::Gauge, static_cast<double>(s.idle))}});
    out.push_back(single("herald_db_pool_max_connections", "Size of the database connection pool", MetricType::Gauge,
                         static_cast<double>(s.capacity)));
    ClientMetric wait;
    wait.summary.sample_count = s.acquired;
    wait.summary.sample_sum = std::chrono::duration<double>(s.wait_time).count();
    out.push_back({"herald_db_pool_wait_seconds",
                   "Time spent waiting for a free database connection, per lease",
                   MetricType::Summary,
                   {wait}});
    out.push_back(single("herald_db_pool_timeouts_total", "Leases given up after the acquire timeout (503)",
                         MetricType::Counter, static_cast<double>(s.timeouts)));
  });
}

void Metrics::watch_queues(std::function<std::vector<QueueDepth>()> source) {
  add_collector([source = std::move(source)](std::vector<MetricFamily>& out) {
    MetricFamily jobs{
        "herald_queue_jobs", "Jobs in a queue, by state (pending, scheduled, active, failed)", MetricType::Gauge, {}};
    MetricFamily age{"herald_queue_oldest_pending_age_seconds",
                     "Age of the oldest job waiting to run, by queue",
                     MetricType::Gauge,
                     {}};
    for (const auto& q : source()) {
      for (auto [state, n] : {std::pair{"pending", q.pending}, std::pair{"scheduled", q.scheduled},
                              std::pair{"active", q.active}, std::pair{"failed", q.failed}}) {
        jobs.metric.push_back(
            sample({{"queue", q.queue}, {"state", state}}, MetricType::Gauge, static_cast<double>(n)));
      }
      age.metric.push_back(sample({{"queue", q.queue}}, MetricType::Gauge, q.oldest_pending_age_seconds));
    }
    out.push_back(std::move(jobs));
    out.push_back(std::move(age));
  });
}

void Metrics::watch_sentry(const Reporter& reporter) {
  add_collector([&reporter](std::vector<MetricFamily>& out) {
    const ReporterStats s = reporter.stats();
    MetricFamily events{"herald_sentry_events_total",
                        "Error events, by outcome (sent, dropped_queue_full, dropped_rate_limited, failed, "
                        "sampled_out)",
                        MetricType::Counter,
                        {}};
    for (auto [outcome, n] : {std::pair{"sent", s.sent}, std::pair{"dropped_queue_full", s.dropped_queue_full},
                              std::pair{"dropped_rate_limited", s.dropped_rate_limited}, std::pair{"failed", s.failed},
                              std::pair{"sampled_out", s.sampled_out}}) {
      events.metric.push_back(sample({{"outcome", outcome}}, MetricType::Counter, static_cast<double>(n)));
    }
    out.push_back(std::move(events));
    out.push_back(single("herald_sentry_queue_length", "Error events waiting to be sent", MetricType::Gauge,
                         static_cast<double>(s.queued)));
  });
}

void Metrics::watch_tracking(std::function<std::uint64_t()> dropped) {
  add_collector([dropped = std::move(dropped)](std::vector<MetricFamily>& out) {
    out.push_back(single("herald_tracking_events_dropped_total",
                         "Open and click events lost: the tracking write buffer was full, or the database refused "
                         "a batch",
                         MetricType::Counter, static_cast<double>(dropped())));
  });
}

std::string Metrics::render() {
  std::lock_guard lock(mutex_);
  for (const auto& refresh : refreshers_) {
    try {
      refresh();
    } catch (const std::exception& e) {
      log::warn("metrics: a scrape callback failed", {{"error", e.what()}});
    }
  }
  std::vector<MetricFamily> families = registry_->Collect();
  for (auto& f : http_->Collect()) families.push_back(std::move(f));
  for (const auto& collect : collectors_) {
    std::vector<MetricFamily> more;
    try {
      collect(more);
    } catch (const std::exception& e) {
      log::warn("metrics: a source failed", {{"error", e.what()}});
      continue;
    }
    for (auto& f : more) families.push_back(std::move(f));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace herald::observability
