#include "leads/runner.hpp"

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/time.hpp"

namespace herald::leads {
namespace {

// Imports whose upload never completed (the client went away) are dropped after this long.
constexpr auto kStaleUpload = std::chrono::hours(1);

std::int64_t import_id_of(const jobs::JobContext& ctx) {
  const auto& p = ctx.payload();
  if (!p.contains("import_id") || !p["import_id"].is_number_integer())
    throw jobs::PermanentJobError("leads.import needs an integer import_id");
  return p["import_id"].get<std::int64_t>();
}

int percent_of(const ImportProgress& p) {
  if (p.total_bytes <= 0) return 0;
  return static_cast<int>(std::min<std::int64_t>(99, p.checkpoint.next_offset * 100 / p.total_bytes));
}

}  // namespace

jobs::JobSpec import_job_spec(std::int64_t import_id) {
  jobs::JobSpec spec;
  spec.name = std::string(kImportJob);
  spec.queue = "campaigns";
  spec.payload = {{"import_id", import_id}};
  spec.unique_key = "leads.import:" + std::to_string(import_id);
  spec.max_attempts = 10;
  return spec;
}

void QueueImportRunner::submit(std::int64_t import_id) {
  try {
    queue_.enqueue(import_job_spec(import_id));
  } catch (const ServiceUnavailable& e) {
    // The import is stored and queued in the database, which is what counts:
    // the reconciler enqueues its job once the queue answers again.
    log::warn("job queue unavailable: the import waits for the reconciler",
              {{"import_id", import_id}, {"error", e.what()}});
  }
}

namespace {

// An import whose job finished while the import did not (a queue restored
// from an old snapshot) gets a fresh job keyed after the finished one.
constexpr int kMaxJobGenerations = 8;
std::string next_key(const std::string& base, const jobs::Job& finished) { return base + ":after:" + finished.id; }
bool finished(const jobs::Job& j) {
  return j.status == jobs::JobStatus::Completed || j.status == jobs::JobStatus::Cancelled;
}

}  // namespace

std::optional<jobs::Job> QueueImportRunner::job(std::int64_t import_id) {
  try {
    const std::string base = *import_job_spec(import_id).unique_key;
    auto job = queue_.find_unique(base);
    for (int i = 0; job && finished(*job) && i < kMaxJobGenerations; ++i) {
      auto next = queue_.find_unique(next_key(base, *job));
      if (!next) break;
      job = std::move(next);
    }
    return job;
  } catch (const ServiceUnavailable&) {
    return std::nullopt;  // the report then says what the database knows
  }
}

void register_import_job(jobs::HandlerRegistry& registry, Importer& importer) {
  registry.add(std::string(kImportJob), [&importer, worker = worker_name()](jobs::JobContext& ctx) {
    const std::int64_t id = import_id_of(ctx);
    importer.delete_stale_uploads(rfc3339(std::chrono::system_clock::now() - kStaleUpload));
    ImporterHooks hooks;
    hooks.after_batch = [&](std::int64_t) {
      if (ctx.stopping()) throw jobs::ReleaseJob();
    };
    hooks.progress = [&](const ImportProgress& p) {
      ctx.progress(percent_of(p), {{"import_id", id}, {"line", p.checkpoint.next_line}});
    };
    try {
      switch (importer.run(id, worker, hooks)) {
        case Importer::Outcome::Completed:
          log::info("lead import completed", {{"import_id", id}});
          break;
        case Importer::Outcome::Failed:
          break;  // the import's own report says why
        case Importer::Outcome::NotClaimed:
          // Finished already, or still held by a worker whose heartbeat is
          // fresh: try again later, when it has finished or gone stale.
          // On the last attempt the job leaves the import to that worker
          // rather than dying: should it die too, the reconciler enqueues
          // the import again.
          if (importer.unfinished(id) && ctx.attempt() < ctx.job().max_attempts)
            throw std::runtime_error("the import is held by another worker");
          break;
      }
    } catch (const jobs::ReleaseJob&) {
      importer.release(id, worker);
      throw;
    } catch (const std::exception& e) {
      if (ctx.attempt() >= ctx.job().max_attempts) {
        try {
          importer.abandon(id, worker, std::string("the import stopped on an internal error: ") + e.what());
        } catch (const std::exception& again) {
          // The database refuses this write too (disk full): the reconciler
          // fails the import once the job is dead and the database writes again.
          log::warn("could not mark a lead import failed", {{"import_id", id}, {"error", again.what()}});
        }
      }
      throw;
    }
  });
}

void register_import_reconciler(jobs::ReconcilerRegistry& registry, Importer& importer) {
  registry.add("leads.imports", [&importer](const jobs::ReconcileContext& ctx) {
    std::int64_t created = 0;
    for (std::int64_t id : importer.stranded()) {
      auto spec = import_job_spec(id);
      const std::string base = *spec.unique_key;
      for (int generation = 0; generation < kMaxJobGenerations; ++generation) {
        const auto enqueued = ctx.queue.enqueue(spec);
        if (enqueued.created) {
          log::warn("lead import had no job in the queue: enqueued again",
                    {{"import_id", id}, {"job_id", enqueued.id}});
          ++created;
          break;
        }
        const auto job = ctx.queue.get(enqueued.id);
        if (!job) break;
        if (job->status == jobs::JobStatus::Dead || job->status == jobs::JobStatus::Failed) {
          // The job gave up but the import was not marked (the database
          // refused that write): the import fails with the job's reason.
          importer.give_up(id, job->error.value_or("the import job failed"));
          break;
        }
        // A finished job holds the key while the import is unfinished: the
        // next generation's key; otherwise the queue has the import in hand.
        if (!finished(*job)) break;
        spec.unique_key = next_key(base, *job);
      }
    }
    return created;
  });
}

}  // namespace herald::leads
