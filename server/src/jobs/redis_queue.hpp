// The Redis Streams queue (HERALD_REDIS_URL set): one stream per queue and
// priority level with one consumer group; XREADGROUP claims, XACK (with XDEL)
// acknowledges, XAUTOCLAIM takes over deliveries whose worker stopped
// extending them past the visibility timeout, and a dead-letter stream per
// queue keeps the jobs that failed for good. Job bodies live in one hash per
// job; delayed jobs wait in a sorted set until a claim moves them to their
// stream. Every state change is one Lua script (scripts in redis_scripts.hpp).
//
// Redis may be down when Herald starts or go away later: every call then
// throws ServiceUnavailable, and the client dials again on the next call.
#pragma once

#include <atomic>
#include <memory>

#include "core/clock.hpp"
#include "jobs/queue.hpp"
#include "redis/client.hpp"

namespace herald::jobs {

struct RedisQueueOptions {
  Millis retention{std::chrono::hours(24 * 7)};  // completed and cancelled jobs stay readable this long
  Millis take_over_interval{1000};               // how often claim() looks for timed-out deliveries
  std::size_t enqueue_chunk = 1000;              // jobs per pipeline round trip
  std::string prefix = "herald:";                // of every key (tests isolate themselves with their own)
};

class RedisQueue final : public JobQueue {
 public:
  RedisQueue(redis::RedisClient& redis, const Clock& clock, RedisQueueOptions options = {});

  std::string_view backend() const noexcept override { return "redis"; }
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

 private:
  struct Scripts {
    std::size_t enqueue, claim, complete, fail, release, mark_cancelled, cancel, heartbeat, retry, stats;
  };
  std::int64_t now_ms() const;
  std::string key(std::string_view kind, std::string_view name) const;
  // Runs `f`, turning Redis's "not now" errors (LOADING, OOM, …) into 503.
  template <typename F>
  auto guarded(F&& f);
  std::vector<std::string> delivery_args(const Job& job) const;

  redis::RedisClient& redis_;
  const Clock& clock_;
  RedisQueueOptions options_;
  Scripts scripts_{};
  std::atomic<std::int64_t> next_take_over_ms_{0};
  std::atomic<unsigned> rotation_{0};
};

// A job from the flat field/value list of HGETALL. Exposed for tests.
Job job_from_hash(const std::vector<redis::RedisValue>& flat, std::int64_t now_ms);

}  // namespace herald::jobs
