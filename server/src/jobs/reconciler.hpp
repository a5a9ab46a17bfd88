// The database is the source of truth for every unit of work; the queue only
// carries wake-ups. The reconciler is what makes that true: now and then it
// asks every domain that registered with it for the work its tables say is
// waiting (queued, or running without a heartbeat past its staleness) and
// lets the domain enqueue that work's job again. Enqueueing is idempotent (a
// unique key per unit of work), so a job the queue still holds is left
// alone, and a queue that lost everything — Redis restarted without
// persistence — costs a delay, never work.
//
// It runs in every worker process, at start and then every `interval`, but
// one process at a time: a pass first takes (or renews) a lease row in the
// database, and a process that does not get it skips the pass.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "jobs/queue.hpp"
#include "storage/database.hpp"

namespace herald::jobs {

struct ReconcileContext {
  JobQueue& queue;
  std::chrono::system_clock::time_point now;
};

// A domain's part of a pass: find the work the database says should run but
// no worker is on (queued, or running with a stale heartbeat), enqueue its
// job again with the work's unique key, and put right what the queue knows
// better (a job that gave up for good: the work failed). Returns how many
// jobs it created; throws when the queue or the database is unavailable
// (the pass is tried again at the next interval).
using ReconcileFn = std::function<std::int64_t(const ReconcileContext&)>;

// name → function. Filled before the reconciler starts, read-only afterwards;
// each domain adds its own (leads: stranded imports).
class ReconcilerRegistry {
 public:
  // Throws std::logic_error on a duplicate or empty name.
  void add(std::string name, ReconcileFn fn);
  bool empty() const noexcept { return entries_.empty(); }

  struct Entry {
    std::string name;
    ReconcileFn fn;
  };
  const std::vector<Entry>& entries() const noexcept { return entries_; }

 private:
  std::vector<Entry> entries_;
};

// A named lease in the database (job_leases), held by one process at a time.
class DbLease {
 public:
  DbLease(storage::Database& db, std::string name, std::string holder);
  // Takes the lease, or renews it when `holder` has it, until now + ttl.
  // False when another holder's lease has not run out.
  bool take(std::chrono::system_clock::time_point now, std::chrono::milliseconds ttl);
  // Lets the lease go (clean shutdown), so another process need not wait it out.
  void give_up();

 private:
  storage::Database& db_;
  std::string name_, holder_;
};

struct ReconcilerOptions {
  std::chrono::milliseconds interval{30000};  // between passes
  std::string holder;                         // this process (its worker id)
};

class Reconciler {
 public:
  Reconciler(storage::Database& db, JobQueue& queue, const ReconcilerRegistry& registry, const Clock& clock,
             ReconcilerOptions options);
  ~Reconciler();
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  // A pass now, then one every interval, on a thread of its own.
  void start();
  // Stops the thread and gives the lease up (once; also without start()).
  void stop();

  // One pass: jobs created, or nullopt when another process holds the lease.
  // Throws when the lease cannot be taken (the database is unavailable).
  std::optional<std::int64_t> run_once();

 private:
  void loop();

  JobQueue& queue_;
  const ReconcilerRegistry& registry_;
  const Clock& clock_;
  ReconcilerOptions options_;
  DbLease lease_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::jobs
