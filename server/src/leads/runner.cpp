#include "leads/runner.hpp"

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

void QueueImportRunner::submit(std::int64_t import_id) {
  jobs::JobSpec spec;
  spec.name = std::string(kImportJob);
  spec.queue = "campaigns";
  spec.payload = {{"import_id", import_id}};
  spec.unique_key = "leads.import:" + std::to_string(import_id);
  spec.max_attempts = 10;
  queue_.enqueue(spec);
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
          if (importer.unfinished(id)) throw std::runtime_error("the import is held by another worker");
          break;
      }
    } catch (const jobs::ReleaseJob&) {
      importer.release(id, worker);
      throw;
    } catch (const std::exception& e) {
      if (ctx.attempt() >= ctx.job().max_attempts) {
        importer.abandon(id, worker, std::string("the import stopped on an internal error: ") + e.what());
      }
      throw;
    }
  });
}

}  // namespace herald::leads
