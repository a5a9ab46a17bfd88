#include "observability/module.hpp"

#include "jobs/types.hpp"
#include "observability/sentry_check.hpp"

namespace herald::observability {

RecorderTask::RecorderTask(const HttpMetrics& http, ActiveUsers& users, SystemFiguresStore& store, const Clock& clock,
                           RecorderOptions options)
    : http_(http), users_(users), store_(store), clock_(clock), options_(std::move(options)) {}

void RecorderTask::start() {
  std::lock_guard lock(mutex_);
  if (!recorder_) recorder_ = std::make_unique<SystemRecorder>(http_, users_, store_, clock_, options_);
}

void RecorderTask::stop() {
  std::unique_ptr<SystemRecorder> stopping;
  {
    std::lock_guard lock(mutex_);
    stopping = std::move(recorder_);
  }
  stopping.reset();  // a last flush
}

void RecorderTask::flush() {
  std::lock_guard lock(mutex_);
  if (recorder_) recorder_->flush();
}

Module::Module(Deps deps)
    : reporter_(SentrySettings::from(deps.config), deps.reporter_options),
      store_(deps.db),
      recorder_(metrics_.http(), users_, store_, deps.clock, deps.recorder_options),
      report_(
          store_, deps.health, deps.queue, deps.clock, [this] { recorder_.flush(); },
          deps.campaigns ? std::function<std::int64_t()>([c = deps.campaigns] { return c->active_count(); })
                         : std::function<std::int64_t()>()),
      http_monitor_(metrics_, reporter_, users_),
      job_monitor_(metrics_, reporter_),
      mail_monitor_(metrics_),
      routes_(metrics_, report_, deps.config) {
  metrics_.watch_database(deps.db);
  metrics_.watch_sentry(reporter_);
  metrics_.watch_queues([&queue = deps.queue] {
    std::vector<QueueDepth> out;
    for (auto name : jobs::kQueues) {
      const jobs::QueueStats s = queue.stats(std::string(name));
      out.push_back({std::string(name), s.pending, s.scheduled, s.active, s.failed, s.oldest_pending_age_s});
    }
    return out;
  });
  if (campaigns::Campaigns* c = deps.campaigns) metrics_.watch_tracking([c] { return c->tracking_events_dropped(); });
  if (const mail::SmtpPool* pool = deps.smtp) {
    metrics_.on_scrape([this, pool] {
      const auto s = pool->stats();
      metrics_.smtp_pool(static_cast<std::int64_t>(s.busy), static_cast<std::int64_t>(s.open - s.busy));
    });
  }
}

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  c.set_request_monitor(http_monitor_);
  c.add_job_observer(job_monitor_);
  c.add_send_observer(mail_monitor_);
  c.add_health_check(std::make_shared<SentryCheck>(reporter_));
  c.add_task(recorder_);
}

}  // namespace herald::observability
