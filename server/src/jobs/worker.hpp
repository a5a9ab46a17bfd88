// Workers: a pool of threads that claim jobs from a JobQueue and run the
// handler registered for each job's name.
//
// The contract with handlers: delivery is at least once. A job runs again
// when its worker dies, hangs past the visibility timeout, or fails; so a
// handler makes its effect idempotent (an INSERT … ON CONFLICT DO NOTHING
// keyed by the job id or a business key, a check before sending) and may
// look at ctx.attempt(). Returning completes the job; throwing retries it
// with exponential back-off until max_attempts, then it is dead; throwing
// PermanentJobError fails it at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/log.hpp"
#include "jobs/backoff.hpp"
#include "jobs/queue.hpp"

namespace herald::jobs {

// Thrown by a handler: do not retry (bad payload, a permanent SMTP refusal).
class PermanentJobError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// Thrown by JobContext::throw_if_cancelled(): the job ends as cancelled.
class JobCancelled : public std::runtime_error {
 public:
  JobCancelled() : std::runtime_error("job cancelled") {}
};
// Thrown by a handler that stops early because the worker is shutting down:
// the job goes back to the queue and the attempt does not count.
class ReleaseJob : public std::runtime_error {
 public:
  ReleaseJob() : std::runtime_error("job released") {}
};

class JobContext {
 public:
  JobContext(JobQueue& queue, const Job& job, const std::atomic<bool>& cancel, const std::atomic<bool>& stopping)
      : queue_(queue), job_(job), cancel_(cancel), stopping_(stopping) {}

  const Job& job() const noexcept { return job_; }
  const std::string& id() const noexcept { return job_.id; }
  const nlohmann::json& payload() const noexcept { return job_.payload; }
  // 1 on the first delivery.
  int attempt() const noexcept { return job_.attempts; }

  // Records progress (0..100, plus any JSON detail), readable through
  // JobQueue::get() from any process. Best effort: never throws.
  void progress(int percent, const nlohmann::json& detail = nullptr);
  // Someone asked to cancel this job (seen within one heartbeat).
  bool cancelled() const noexcept { return cancel_.load(std::memory_order_relaxed); }
  void throw_if_cancelled() const;
  // The worker is shutting down: a long handler may stop and throw ReleaseJob.
  bool stopping() const noexcept { return stopping_.load(std::memory_order_relaxed); }

  // Stored with the completed job.
  void set_result(nlohmann::json result) { result_ = std::move(result); }
  const nlohmann::json& result() const noexcept { return result_; }

 private:
  JobQueue& queue_;
  const Job& job_;
  const std::atomic<bool>& cancel_;
  const std::atomic<bool>& stopping_;
  nlohmann::json result_;
};

using JobHandler = std::function<void(JobContext&)>;

// name → handler. Filled before the pool starts, read-only afterwards.
class HandlerRegistry {
 public:
  // Throws std::logic_error on a duplicate or malformed name.
  void add(std::string name, JobHandler handler);
  const JobHandler* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::unordered_map<std::string, JobHandler> handlers_;
};

// How one attempt of a job ended.
enum class AttemptOutcome {
  Completed,  // the handler returned
  Retrying,   // it threw; the job runs again after a back-off
  Failed,     // it threw on its last attempt, or threw PermanentJobError: the job is dead
  Cancelled,  // someone cancelled it
  Released,   // the worker is stopping: back to the queue, the attempt does not count
};

struct AttemptReport {
  AttemptOutcome outcome = AttemptOutcome::Completed;
  std::chrono::nanoseconds duration{0};
  const std::exception* error = nullptr;          // for Retrying and Failed
  const log::Breadcrumbs* breadcrumbs = nullptr;  // the attempt's log lines, when asked for
};

// Sees every attempt a worker runs (job metrics and error reports hook in
// here). Called on the executor's thread right after the handler; must not throw.
class AttemptObserver {
 public:
  virtual ~AttemptObserver() = default;
  // True: each attempt keeps its log lines (log::Breadcrumbs) for the report.
  virtual bool wants_breadcrumbs() const noexcept { return false; }
  virtual void attempted(const Job& job, const AttemptReport& report) noexcept = 0;
};

struct WorkerOptions {
  std::vector<std::string> queues{kQueues.begin(), kQueues.end()};
  int concurrency = 4;
  // A claimed job unacknowledged this long (no heartbeat) goes to another worker.
  Millis visibility{30000};
  Millis heartbeat_interval{0};  // 0 = visibility / 3
  Millis poll_interval{100};     // how often an idle worker looks for work
  Millis maintenance_interval{60000};
  // Jobs claimed ahead of free threads, so one claim feeds several.
  std::size_t prefetch = 0;
  BackoffPolicy backoff;
  std::string worker_id;  // generated (host-pid-random) when empty
};

// Parses "emails,campaigns"; throws ConfigError(variable) for an unknown queue.
std::vector<std::string> parse_queue_list(std::string_view variable, std::string_view text);

class WorkerPool {
 public:
  WorkerPool(JobQueue& queue, const HandlerRegistry& handlers, WorkerOptions options,
             std::vector<AttemptObserver*> observers = {});
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void start();
  // Graceful: stops claiming, gives unstarted jobs back, lets running ones
  // finish (handlers see ctx.stopping()), then unregisters the worker.
  void stop();

  const std::string& id() const noexcept { return info_.id; }
  // Jobs finished by this pool (any outcome).
  std::uint64_t finished() const noexcept { return finished_.load(); }

 private:
  struct InFlight {
    Job job;
    std::shared_ptr<std::atomic<bool>> cancel;
  };

  void fetch_loop();
  void execute_loop();
  void heartbeat_loop();
  // Runs the handler; the result when it succeeded (to be acknowledged by
  // the caller), nullopt when the outcome was recorded already.
  std::optional<nlohmann::json> run(const Job& job, const std::atomic<bool>& cancel);
  void report(const Job& job, AttemptReport report) const noexcept;
  void release_quietly(const Job& job);
  std::vector<Job> in_flight_snapshot();
  void forget(const std::string& id);

  JobQueue& queue_;
  const HandlerRegistry& handlers_;
  WorkerOptions options_;
  std::vector<AttemptObserver*> observers_;
  bool keep_breadcrumbs_ = false;
  WorkerInfo info_;

  std::mutex mutex_;
  std::condition_variable work_ready_;  // executors wait for buffered jobs
  std::condition_variable slot_free_;   // the fetcher waits for capacity
  std::condition_variable wake_;        // heartbeat and idle sleeps, woken by stop()
  std::deque<Job> buffer_;
  std::unordered_map<std::string, InFlight> in_flight_;
  std::size_t running_ = 0;

  std::atomic<bool> stopping_{false};
  std::atomic<bool> executors_done_{false};
  std::atomic<std::uint64_t> finished_{0};
  bool started_ = false;
  std::thread fetcher_;
  std::thread heartbeat_;
  std::vector<std::thread> executors_;
};

}  // namespace herald::jobs
