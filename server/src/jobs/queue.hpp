// The job queue: one interface, two backends.
//
//   DbQueue     jobs in the database (SQLite or PostgreSQL); the default, so
//               `herald serve` alone runs everything and survives restarts.
//   RedisQueue  Redis Streams, one consumer group per queue; chosen when
//               HERALD_REDIS_URL is set.
//
// Delivery is at least once: a job claimed by a worker that dies before it
// acknowledges is delivered again after the visibility timeout. Handlers are
// therefore written to be idempotent (they get the attempt number, and key
// their effects by job id or a business key), which makes each effect happen
// once even when a delivery repeats.
//
// Every method may throw ServiceUnavailable (503) when the backend cannot be
// reached, ValidationError for a bad spec, NotFound for an unknown job.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "jobs/types.hpp"

namespace herald::jobs {

class JobQueue {
 public:
  virtual ~JobQueue() = default;

  // "database" or "redis".
  virtual std::string_view backend() const noexcept = 0;

  // Validates and stores one job. With a unique key that already exists, the
  // existing job's id is returned and nothing is created.
  Enqueued enqueue(const JobSpec& spec);
  // All or nothing, in one transaction (database) or one pipeline (Redis).
  virtual std::vector<Enqueued> enqueue_batch(std::span<const JobSpec> specs) = 0;

  // Claims up to `max` ready jobs from `queues` (in priority order, then by
  // due time) for `worker_id`; each stays claimed for `visibility` unless
  // extended by heartbeat(). Increments each job's attempt count. Also makes
  // due delayed jobs ready and takes over jobs whose visibility timed out.
  virtual std::vector<Job> claim(std::span<const std::string> queues, const std::string& worker_id, std::size_t max,
                                 Millis visibility) = 0;

  // Finishes a claimed job.
  void complete(const Job& job, const nlohmann::json& result);
  // Finishes several claimed jobs in one round trip (results[i] for jobs[i]).
  virtual void complete_many(std::span<const Job> jobs, std::span<const nlohmann::json> results) = 0;
  // A failed attempt: retry after failure.retry_in, or bury the job (failed / dead).
  virtual void fail(const Job& job, const Failure& failure) = 0;
  // Gives a claimed job back untouched (worker shutting down): the attempt
  // does not count and the job is ready again at once.
  virtual void release(const Job& job) = 0;
  // The handler saw a cancellation request and stopped.
  virtual void mark_cancelled(const Job& job) = 0;

  // Announces a live worker and extends the claim on its in-flight jobs.
  // Returns the ids among `in_flight` whose cancellation was requested.
  virtual std::vector<std::string> heartbeat(const WorkerInfo& worker, std::span<const Job> in_flight,
                                             Millis visibility) = 0;
  // Workers that sent a heartbeat within `within`.
  virtual std::vector<WorkerInfo> live_workers(Millis within) = 0;
  // A worker that stops says so, so it no longer counts as alive.
  virtual void unregister_worker(const std::string& worker_id) = 0;

  // Progress of a running job (0..100 and any JSON detail), readable by get().
  virtual void set_progress(const Job& job, int percent, const nlohmann::json& detail) = 0;

  // Queued or scheduled → cancelled at once; running → asks the handler to stop
  // (JobContext::cancelled()). Returns false when the job had already finished.
  // Throws NotFound for an unknown id.
  virtual bool cancel(const std::string& job_id) = 0;

  virtual std::optional<Job> get(const std::string& job_id) = 0;
  // The job holding `unique_key`, if the queue still has it.
  virtual std::optional<Job> find_unique(const std::string& unique_key) = 0;

  virtual QueueStats stats(const std::string& queue) = 0;
  // Failed and dead jobs of a queue, most recent first.
  virtual Page failed(const std::string& queue, std::int64_t offset, std::int64_t limit) = 0;
  // Failed/dead jobs back to the queue with a fresh set of attempts: all of
  // the queue's, or one. Returns how many. NotFound when `job_id` is not a
  // failed job of `queue`.
  virtual std::int64_t retry(const std::string& queue, const std::optional<std::string>& job_id) = 0;

  // Housekeeping run by workers now and then: forget finished jobs older than
  // the retention and workers gone silent.
  virtual void maintain() = 0;

  // Round trip to the backend, for the health check; throws when unreachable.
  virtual void ping() = 0;
};

}  // namespace herald::jobs
