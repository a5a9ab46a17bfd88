// The embedded queue: jobs are rows of the `jobs` table in Herald's own
// database (SQLite or PostgreSQL), so `herald serve` alone runs everything
// and a restart loses nothing. Workers claim with one UPDATE … RETURNING
// (on PostgreSQL over `FOR UPDATE SKIP LOCKED`, so concurrent workers never
// wait for each other); a claim lasts until `locked_until`, which heartbeats
// extend, and any worker's claim() hands an expired one to someone else.
#pragma once

#include <atomic>
#include <string>

#include "core/clock.hpp"
#include "jobs/queue.hpp"
#include "storage/database.hpp"

namespace herald::jobs {

struct DbQueueOptions {
  // Completed and cancelled jobs stay readable (get) this long.
  Millis retention{std::chrono::hours(24 * 7)};
  // How often claim() looks for claims whose visibility timed out.
  Millis reap_interval{1000};
};

class DbQueue final : public JobQueue {
 public:
  DbQueue(storage::Database& db, const Clock& clock, DbQueueOptions options = {});

  std::string_view backend() const noexcept override { return "database"; }
  std::vector<Enqueued> enqueue_batch(std::span<const JobSpec> specs) override;
  std::vector<Job> claim(std::span<const std::string> queues, const std::string& worker_id, std::size_t max,
                         Millis visibility) override;
  void complete_many(std::span<const Job> jobs, std::span<const nlohmann::json> results) override;
  void fail(const Job& job, const Failure& failure) override;
  void release(const Job& job) override;
  void mark_cancelled(const Job& job) override;
  std::vector<std::string> heartbeat(const WorkerInfo& worker, std::span<const Job> in_flight,
                                     Millis visibility) override;
  std::vector<WorkerInfo> live_workers(Millis within) override;
  void unregister_worker(const std::string& worker_id) override;
  void set_progress(const Job& job, int percent, const nlohmann::json& detail) override;
  bool cancel(const std::string& job_id) override;
  std::optional<Job> get(const std::string& job_id) override;
  std::optional<Job> find_unique(const std::string& unique_key) override;
  QueueStats stats(const std::string& queue) override;
  Page failed(const std::string& queue, std::int64_t offset, std::int64_t limit) override;
  std::int64_t retry(const std::string& queue, const std::optional<std::string>& job_id) override;
  void maintain() override;
  void ping() override;

  // Claims whose visibility timed out go back to the queue (or die on their
  // last attempt). Returns how many; claim() calls it every reap_interval.
  std::int64_t requeue_expired();

 private:
  std::int64_t now_ms() const;
  template <typename F>
  auto with_connection(F&& f);
  void claim_from(storage::Connection& conn, const std::string& queue, const std::string& worker_id, std::size_t max,
                  std::int64_t now, std::int64_t until, std::vector<Job>& out);

  storage::Database& db_;
  const Clock& clock_;
  DbQueueOptions options_;
  std::atomic<std::int64_t> next_reap_ms_{0};
  std::atomic<unsigned> rotation_{0};
  // PostgreSQL: finished claims leave dead entries in the ready index that
  // every later claim steps over until a vacuum; autovacuum wakes once a
  // minute at best, so the queue vacuums its own table after heavy use.
  std::atomic<std::int64_t> finished_since_vacuum_{0};
  std::atomic<bool> vacuuming_{false};
  void vacuum_if_churned(std::int64_t finished);
};

}  // namespace herald::jobs
