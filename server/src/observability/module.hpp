// The observability module: Sentry error reports, Prometheus metrics and the
// admin dashboard's figures. It contributes GET /metrics and
// GET /api/admin/system, the request monitor (request metrics, rate-limit
// refusals, an error report for every 5xx), the job attempt observer (job
// metrics, an error report for every failed attempt), the campaign send
// observer (the mail counters), the "sentry" health
// check, and the background task that writes this process's traffic figures.
#pragma once

#include <memory>
#include <mutex>

#include "campaigns/interface.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "health/interface.hpp"
#include "jobs/queue.hpp"
#include "mail/smtp_pool.hpp"
#include "module/module.hpp"
#include "observability/http_monitor.hpp"
#include "observability/job_monitor.hpp"
#include "observability/mail_monitor.hpp"
#include "observability/metrics.hpp"
#include "observability/routes.hpp"
#include "observability/sentry.hpp"
#include "observability/system_figures.hpp"
#include "observability/system_recorder.hpp"
#include "observability/system_report.hpp"
#include "observability/system_store.hpp"
#include "storage/database.hpp"

namespace herald::observability {

struct Deps {
  const Config& config;
  const Clock& clock;
  storage::Database& db;
  jobs::JobQueue& queue;
  health::Reports& health;
  const mail::SmtpPool* smtp = nullptr;       // this process's SMTP connections, when HERALD_SMTP_URL is set
  campaigns::Campaigns* campaigns = nullptr;  // the campaigns being sent (GET /api/admin/system)
  ReporterOptions reporter_options = {};
  RecorderOptions recorder_options = {};
};

// Writes this process's traffic figures while the process runs.
class RecorderTask final : public BackgroundTask {
 public:
  RecorderTask(const HttpMetrics& http, ActiveUsers& users, SystemFiguresStore& store, const Clock& clock,
               RecorderOptions options);
  std::string_view name() const override { return "system figures"; }
  void start() override;
  void stop() override;
  // Writes now, if running (the admin figures include this process's last seconds).
  void flush();

 private:
  const HttpMetrics& http_;
  ActiveUsers& users_;
  SystemFiguresStore& store_;
  const Clock& clock_;
  RecorderOptions options_;
  std::mutex mutex_;
  std::unique_ptr<SystemRecorder> recorder_;
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  void contribute(Contributions& contributions) override;

  Metrics& metrics() noexcept { return metrics_; }
  Reporter& reporter() noexcept { return reporter_; }
  // GET /metrics as served on HERALD_METRICS_LISTEN (the composition root's second listener).
  http::Response scrape(http::Request& req) { return observability::scrape(metrics_, routes_.access(), req); }

 private:
  Reporter reporter_;
  Metrics metrics_;
  ActiveUsers users_;
  SystemFiguresStore store_;
  RecorderTask recorder_;
  SystemReport report_;
  HttpMonitor http_monitor_;
  JobMonitor job_monitor_;
  MailMonitor mail_monitor_;
  Routes routes_;
};

}  // namespace herald::observability
