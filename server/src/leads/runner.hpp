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
#include "jobs/worker.hpp"
#include "leads/importer.hpp"

namespace herald::leads {

inline constexpr std::string_view kImportJob = "leads.import";

class ImportRunner {
 public:
  virtual ~ImportRunner() = default;
  virtual void submit(std::int64_t import_id) = 0;
};

// Nothing runs the import (the CLI applies it in-process).
class DeferredImportRunner final : public ImportRunner {
 public:
  void submit(std::int64_t) override {}
};

// Enqueues one `leads.import` job per import (a unique key makes a second
// submit of the same import a no-op). Throws ServiceUnavailable when the queue is down.
class QueueImportRunner final : public ImportRunner {
 public:
  explicit QueueImportRunner(jobs::JobQueue& queue) : queue_(queue) {}
  void submit(std::int64_t import_id) override;

 private:
  jobs::JobQueue& queue_;
};

// Registers the `leads.import` handler: progress goes to the job, a stopping
// worker hands the import back, and the last failed attempt marks the import failed.
void register_import_job(jobs::HandlerRegistry& registry, Importer& importer);

}  // namespace herald::leads
