#include "analytics/module.hpp"

#include "core/log.hpp"

namespace herald::analytics {
namespace {

// How often the waker looks at the event log: the reports lag the events by about this.
constexpr std::chrono::milliseconds kWakeInterval{2000};
// PostgreSQL: how long an event's transaction may take to commit (see rollup.hpp).
constexpr std::chrono::milliseconds kPostgresSettle{5000};

RollupOptions options_for(const storage::Database& db) {
  RollupOptions o;
  if (db.backend() == storage::Backend::Postgres) o.settle = kPostgresSettle;
  return o;
}

}  // namespace

RollupWaker::RollupWaker(jobs::JobQueue& queue, Rollup& rollup, campaigns::Activity& campaigns, const Clock& clock,
                         std::chrono::milliseconds interval, bool retention)
    : queue_(queue),
      rollup_(rollup),
      campaigns_(campaigns),
      clock_(clock),
      interval_(interval),
      retention_(retention),
      periodic_(
          interval, [this] { poke(); }, "analytics roll-up not woken") {}

RollupWaker::~RollupWaker() { stop(); }

bool RollupWaker::poke() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch()).count();
  if (retention_ && ms / 3'600'000 != retention_hour_) {
    jobs::JobSpec spec;
    spec.name = "analytics.retention";
    spec.queue = "analytics";
    spec.max_attempts = 3;
    spec.unique_key = "analytics.retention:" + std::to_string(ms / 3'600'000);
    queue_.enqueue(spec);
    retention_hour_ = ms / 3'600'000;
  }
  if (campaigns_.last_event_id() <= rollup_.watermark()) return false;
  jobs::JobSpec spec;
  spec.name = "analytics.rollup";
  spec.queue = "analytics";
  spec.max_attempts = 3;
  spec.unique_key = "analytics.rollup:" + std::to_string(ms / interval_.count());
  return queue_.enqueue(spec).created;
}

Module::Module(Deps d)
    : rollup_(d.db, d.campaigns, d.clock, options_for(d.db)),
      retention_(d.db, d.campaigns, d.clock, d.config.analytics_retention_days),
      service_(d.db, d.clock, d.leads, d.campaigns, zones_),
      routes_(service_),
      waker_(d.queue, rollup_, d.campaigns, d.clock, kWakeInterval, retention_.enabled()) {}

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  c.jobs().add("analytics.rollup", [this](jobs::JobContext& ctx) {
    const auto n = rollup_.run([&ctx] { return ctx.stopping() || ctx.cancelled(); });
    ctx.progress(100, std::to_string(n) + " events rolled up");
  });
  c.jobs().add("analytics.retention", [this](jobs::JobContext& ctx) {
    const auto n = retention_.run([&ctx] { return ctx.stopping() || ctx.cancelled(); });
    ctx.progress(100, std::to_string(n) + " raw events past retention deleted");
  });
  c.add_task(waker_);
}

}  // namespace herald::analytics
