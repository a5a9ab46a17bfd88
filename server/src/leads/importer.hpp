// Applying an uploaded CSV, resumably and exactly once.
//
// The file lives in the database (lead_import_chunks), so any worker on any
// machine can apply it. Records are applied in batches; each batch commits
// together with the import's checkpoint (the offset and line just past its
// last record, and the counters), and the checkpoint only moves from the
// value this worker read, under this worker's claim. A worker that dies
// loses at most its open batch, which rolls back; the next one (after the
// claim's heartbeat goes stale) restarts from the checkpoint with a fresh
// parser. So every record is applied exactly once, however often the work
// is interrupted. Duplicates within the file are recognised across such
// restarts too: a lead remembers the import and line that last wrote it.
//
// Row problems never stop an import: the row is reported (line, reason)
// and the good rows are kept. Only file problems — empty file, unreadable
// header, no email column, a mapping naming a missing column — fail it,
// and they are found before any row is applied.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auth/interface.hpp"
#include "core/clock.hpp"
#include "leads/import_store.hpp"
#include "leads/importer_settings.hpp"
#include "leads/segments.hpp"
#include "leads/store.hpp"

namespace herald::leads {

struct ImportProgress {
  std::int64_t import_id = 0;
  Checkpoint checkpoint;
  std::int64_t total_bytes = 0;
};

struct ImporterHooks {
  // After each committed batch (tests throw here to play a crash).
  std::function<void(std::int64_t batches)> after_batch;
  std::function<void(const ImportProgress&)> progress;
};

class Importer {
 public:
  Importer(storage::Database& db, SegmentService& segments, auth::Users& users, const Clock& clock,
           ImporterSettings settings = {});

  enum class Outcome { Completed, Failed, NotClaimed };
  // Claims the import for `worker` and applies it to the end. NotClaimed when
  // it is finished or another live worker holds it. Exceptions (a lost claim,
  // the database going away, a hook) leave the checkpoint where it was.
  Outcome run(std::int64_t import_id, const std::string& worker, const ImporterHooks& hooks = {});
  // Hands a claimed import back (worker shutting down): queued again, resumed from its checkpoint.
  void release(std::int64_t import_id, const std::string& worker);
  // Gives up on a claimed import that keeps failing: failed, with the reason.
  void abandon(std::int64_t import_id, const std::string& worker, const std::string& reason);

  // Queued or running: somebody still has to finish it.
  bool unfinished(std::int64_t import_id);
  // Removes uploads that never completed (the client went away) and were last touched before `before`.
  void delete_stale_uploads(const std::string& before);
  // Imports no worker is on, as far as the database can tell: queued, or
  // running without a heartbeat for settings().stale_after.
  std::vector<std::int64_t> stranded();
  // The import's job gave up for good: fails the import with `reason` unless
  // a live worker holds it. True when it did.
  bool give_up(std::int64_t import_id, const std::string& reason);

  const ImporterSettings& settings() const noexcept { return settings_; }

 private:
  storage::Database& db_;
  LeadStore leads_;
  SegmentService& segments_;
  auth::Users& users_;
  const Clock& clock_;
  ImporterSettings settings_;
  ImportStore store_;
};

// A unique worker name for this process ("host:pid:random").
std::string worker_name();

}  // namespace herald::leads
