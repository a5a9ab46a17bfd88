// Who applies an uploaded import. The API only stores the file and submits
// the import's id; an ImportRunner sees that Importer::run happens somewhere.
// When the job queue lands, a queue job handler calling Importer::run
// replaces ThreadImportRunner.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "leads/importer.hpp"

namespace herald::leads {

class ImportRunner {
 public:
  virtual ~ImportRunner() = default;
  virtual void submit(std::int64_t import_id) = 0;
};

// `serve --no-workers`: imports stay queued for a worker process.
class DeferredImportRunner final : public ImportRunner {
 public:
  void submit(std::int64_t) override {}
};

// One in-process worker thread. It applies submitted imports and, at start
// and every `poll`, looks for unfinished ones (queued, or running under a
// worker whose heartbeat went stale — a process that died) and takes them
// over, so an import survives the death of the process applying it. On stop
// it finishes the current batch and hands the import back.
class ThreadImportRunner final : public ImportRunner {
 public:
  ThreadImportRunner(Importer& importer, storage::Database& db, std::chrono::milliseconds poll);
  ~ThreadImportRunner() override;
  void submit(std::int64_t import_id) override;
  void stop();
  const std::string& worker() const noexcept { return worker_; }

 private:
  void loop();
  void apply(std::int64_t id);
  void sweep();

  Importer& importer_;
  storage::Database& db_;
  std::chrono::milliseconds poll_;
  std::string worker_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::int64_t> queue_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace herald::leads
