// Who applies an uploaded import. The API only stores the file and submits
// the import's id; the job queue delivers it to a worker (in `herald serve`
// or any `herald worker`), whose `leads.import` handler calls Importer::run.
//
// Exactly once: the queue delivers at least once and hands a job whose
// worker died to another one; Importer::run resumes from the import's last
// committed checkpoint, so every record is applied once however often the
// job is delivered.
#pragma once

#include <cstdint>

#include "jobs/queue.hpp"
#include "jobs/reconciler.hpp"
#include "jobs/worker.hpp"
#include "leads/importer.hpp"

namespace herald::leads {

inline constexpr std::string_view kImportJob = "leads.import";

class ImportRunner {
 public:
  virtual ~ImportRunner() = default;
  virtual void submit(std::int64_t import_id) = 0;
  // The import's job as the queue has it (retrying, dead, …), for the
  // import's report; nullopt when there is none or the queue cannot say.
  virtual std::optional<jobs::Job> job(std::int64_t) { return std::nullopt; }
};

// Nothing runs the import (the CLI applies it in-process).
class DeferredImportRunner final : public ImportRunner {
 public:
  void submit(std::int64_t) override {}
};

// Enqueues one `leads.import` job per import (a unique key makes a second
// submit of the same import a no-op). When the queue is down the import
// stays queued in the database and the reconciler enqueues it once the
// queue is back; submit() does not throw for that.
class QueueImportRunner final : public ImportRunner {
 public:
  explicit QueueImportRunner(jobs::JobQueue& queue) : queue_(queue) {}
  void submit(std::int64_t import_id) override;
  std::optional<jobs::Job> job(std::int64_t import_id) override;

 private:
  jobs::JobQueue& queue_;
};

// The job that applies an import: `leads.import` on the campaigns queue, unique per import.
jobs::JobSpec import_job_spec(std::int64_t import_id);

// Registers the `leads.import` handler: progress goes to the job, a stopping
// worker hands the import back, and the last failed attempt marks the import failed.
void register_import_job(jobs::HandlerRegistry& registry, Importer& importer);

// Registers the imports with the reconciler: an import the database says is
// queued, or running without a heartbeat, gets its job again when the queue
// lost it (Redis restarted empty); one whose job gave up for good fails with
// the job's error.
void register_import_reconciler(jobs::ReconcilerRegistry& registry, Importer& importer);

}  // namespace herald::leads
