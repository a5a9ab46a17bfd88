// The analytics module: roll-ups of campaigns' event log (the
// analytics.rollup job on the `analytics` queue, woken by a background task
// whenever the log has grown past the watermark) and the reports
// (GET /api/analytics/overview, /campaigns/{id}, /timeseries), answered from
// the roll-ups. Uses campaigns::Activity (the event log, campaign facts) and
// leads::Leads (lead totals); reads no table of theirs.
#pragma once

#include <chrono>

#include "analytics/retention.hpp"
#include "analytics/rollup.hpp"
#include "analytics/routes.hpp"
#include "analytics/service.hpp"
#include "campaigns/interface.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/periodic.hpp"
#include "core/timezone.hpp"
#include "jobs/queue.hpp"
#include "leads/interface.hpp"
#include "module/module.hpp"
#include "storage/database.hpp"

namespace herald::analytics {

struct Deps {
  storage::Database& db;
  const Clock& clock;
  const Config& config;
  jobs::JobQueue& queue;
  leads::Leads& leads;
  campaigns::Activity& campaigns;
};

// Every `interval`, enqueues analytics.rollup when the event log has events
// past the watermark (one job per interval at most: its unique key names it),
// and, when retention is on, analytics.retention once an hour.
class RollupWaker final : public BackgroundTask {
 public:
  RollupWaker(jobs::JobQueue& queue, Rollup& rollup, campaigns::Activity& campaigns, const Clock& clock,
              std::chrono::milliseconds interval, bool retention = false);
  ~RollupWaker() override;
  std::string_view name() const override { return "analytics.rollup"; }
  void start() override { periodic_.start(); }
  void stop() override { periodic_.stop(); }
  // One look: true when it enqueued a job.
  bool poke();

 private:
  jobs::JobQueue& queue_;
  Rollup& rollup_;
  campaigns::Activity& campaigns_;
  const Clock& clock_;
  std::chrono::milliseconds interval_;
  bool retention_;
  std::int64_t retention_hour_ = -1;  // the hour of the last analytics.retention enqueued
  Periodic periodic_;                 // last: its thread calls poke() and ends before the rest goes
};

class Module final : public herald::Module {
 public:
  explicit Module(Deps deps);
  // The endpoints, the analytics.rollup and analytics.retention jobs and their waker.
  void contribute(Contributions& contributions) override;

  Rollup& rollup() noexcept { return rollup_; }
  AnalyticsService& service() noexcept { return service_; }

 private:
  ZoneDirectory zones_;
  Rollup rollup_;
  Retention retention_;
  AnalyticsService service_;
  Routes routes_;
  RollupWaker waker_;
};

}  // namespace herald::analytics
