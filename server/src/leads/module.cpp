#include "leads/module.hpp"

namespace herald::leads {
namespace {

// An import's heartbeat is its committed batches: stale after two visibility timeouts.
ImporterSettings importer_settings(const Deps& d) {
  ImporterSettings s = d.importer;
  if (s.stale_after.count() <= 0) s.stale_after = 2 * d.config.job_visibility_timeout;
  return s;
}

}  // namespace

Module::Module(Deps d)
    : leads_(d.db, d.clock, d.users, static_cast<std::size_t>(d.config.page_cache)),
      segments_(d.db, d.clock, leads_),
      suppressions_(d.db, d.clock),
      privacy_(d.db, leads_, suppressions_, d.audit),
      importer_(d.db, segments_, d.users, d.clock, importer_settings(d)),
      runner_(d.queue),
      imports_(d.db, runner_, d.clock, d.import_chunk_size),
      directory_(d.db, d.clock, leads_, suppressions_, d.audit),
      routes_(leads_, segments_, suppressions_, privacy_, imports_),
      warm_segments_(d.warm_segments),
      warmer_(segments_) {}

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  register_import_job(c.jobs(), importer_);
  register_import_reconciler(c.reconcilers(), importer_);
  if (warm_segments_) c.add_task(warmer_);
}

}  // namespace herald::leads
