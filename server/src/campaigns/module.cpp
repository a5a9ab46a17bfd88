#include "campaigns/module.hpp"

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "storage/settings.hpp"

namespace herald::campaigns {
namespace {

// The key of tracking and unsubscribe tokens: generated once, kept in the
// database so every process (API nodes, workers) signs and checks the same.
std::string tracking_secret(storage::Database& db, const Clock& clock) {
  auto conn = db.acquire();
  return storage::put_setting_if_absent(*conn, "tracking_secret", crypto::random_token(48), rfc3339(clock.wall()));
}

std::unique_ptr<SendLimiter> make_limiter(const Deps& d) {
  if (d.redis) return std::make_unique<RedisSendLimiter>(*d.redis);
  return std::make_unique<DbSendLimiter>(d.db, d.clock);
}

}  // namespace

PipelineOptions Module::resolve(PipelineOptions o, const Config& config) {
  if (o.lease.count() <= 0) o.lease = 2 * config.job_visibility_timeout;
  o.backoff_base = config.send_retry_base;
  o.max_attempts = config.send_attempts;
  return o;
}

Module::Module(Deps d)
    : options_(resolve(d.options, d.config)),
      secret_(tracking_secret(d.db, d.clock)),
      signer_(secret_),
      tracker_(signer_, d.config.public_url),
      limiter_(make_limiter(d)),
      templates_(d.catalog),
      sender_({d.db, d.clock, d.leads, d.settings, d.transport, *limiter_, tracker_, templates_, d.config.send_rate,
               options_, &d.send_observers}),
      pipeline_({d.db, d.clock, d.queue, d.leads, d.catalog, sender_, zones_, options_,
                 2 * d.config.job_visibility_timeout + options_.lease}),
      events_(d.db),
      service_(d.db, d.clock, d.leads, d.catalog, d.settings, pipeline_, sender_, zones_, events_),
      tracking_(d.db, d.clock, signer_, d.leads, events_),
      routes_(service_, tracking_),
      activity_(d.db),
      responses_(d.db) {}

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  pipeline_.register_jobs(c.jobs());
  c.reconcilers().add("campaigns", [this](const jobs::ReconcileContext& ctx) { return pipeline_.reconcile(ctx); });
}

}  // namespace herald::campaigns
