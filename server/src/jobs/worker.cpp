#include "jobs/worker.hpp"

#include <unistd.h>

#include <random>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "jobs/validation.hpp"

namespace herald::jobs {
namespace {

double unit_random() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::string hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

std::string make_worker_id() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return fmt::format("{}-{}-{:04x}", hostname(), ::getpid(), rng() & 0xffff);
}

// Logs a failure of the backend at most once per `every`, so a Redis or
// database outage does not flood the log.
class ThrottledLog {
 public:
  explicit ThrottledLog(std::chrono::seconds every) : every_(every) {}
  void warn(std::string_view what, const std::exception& e) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < every_) return;
    last_ = now;
    log::warn(what, {{"error", e.what()}});
  }

 private:
  std::chrono::seconds every_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

void JobContext::progress(int percent, const nlohmann::json& detail) {
  try {
    queue_.set_progress(job_, percent, detail);
  } catch (const std::exception&) {
    // Progress is advisory: a queue that cannot record it (Redis restarting,
    // the database refusing writes) must not stop the work itself.
  }
}

void JobContext::throw_if_cancelled() const {
  if (cancelled()) throw JobCancelled();
}

void HandlerRegistry::add(std::string name, JobHandler handler) {
  if (!is_valid_job_name(name)) throw std::logic_error("invalid job name: " + name);
  if (!handler) throw std::logic_error("empty handler for job " + name);
  if (handlers_.count(name)) throw std::logic_error("job registered twice: " + name);
  handlers_.emplace(std::move(name), std::move(handler));
}

const JobHandler* HandlerRegistry::find(std::string_view name) const {
  auto it = handlers_.find(std::string(name));
  return it == handlers_.end() ? nullptr : &it->second;
}

std::vector<std::string> HandlerRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : handlers_) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> parse_queue_list(std::string_view variable, std::string_view text) {
  std::vector<std::string> out;
  for (auto part : split(text, ',')) {
    const auto name = trim(part);
    if (name.empty()) continue;
    if (!is_known_queue(name)) {
      throw ConfigError(std::string(variable),
                        fmt::format("unknown queue '{}' (queues: emails, campaigns, analytics)", name));
    }
    if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
  }
  if (out.empty()) throw ConfigError(std::string(variable), "name at least one queue");
  return out;
}

WorkerPool::WorkerPool(JobQueue& queue, const HandlerRegistry& handlers, WorkerOptions options,
                       std::vector<AttemptObserver*> observers)
    : queue_(queue), handlers_(handlers), options_(std::move(options)), observers_(std::move(observers)) {
  for (const auto* o : observers_) keep_breadcrumbs_ = keep_breadcrumbs_ || o->wants_breadcrumbs();
  options_.concurrency = std::max(1, options_.concurrency);
  if (options_.heartbeat_interval.count() <= 0)
    options_.heartbeat_interval = std::max(Millis(50), options_.visibility / 3);
  info_.id = options_.worker_id.empty() ? make_worker_id() : options_.worker_id;
  info_.queues = options_.queues;
  info_.concurrency = options_.concurrency;
  info_.host = hostname();
  info_.pid = ::getpid();
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::start() {
  if (started_) return;
  started_ = true;
  try {
    queue_.heartbeat(info_, {}, options_.visibility);
  } catch (const std::exception& e) {
    log::warn("job queue unavailable; workers will keep trying", {{"error", e.what()}});
  }
  for (int i = 0; i < options_.concurrency; ++i) executors_.emplace_back([this] { execute_loop(); });
  fetcher_ = std::thread([this] { fetch_loop(); });
  heartbeat_ = std::thread([this] { heartbeat_loop(); });
  log::info("workers started", {{"worker_id", info_.id},
                                {"queues", fmt::format("{}", fmt::join(options_.queues, ","))},
                                {"concurrency", options_.concurrency},
                                {"backend", queue_.backend()}});
}

void WorkerPool::stop() {
  if (!started_ || stopping_.exchange(true)) return;
  {
    std::lock_guard lock(mutex_);  // no waiter misses the flag between its check and its wait
  }
  work_ready_.notify_all();
  slot_free_.notify_all();
  wake_.notify_all();
  if (fetcher_.joinable()) fetcher_.join();

  // Jobs claimed but not started go straight back to the queue.
  std::deque<Job> unstarted;
  {
    std::lock_guard lock(mutex_);
    unstarted.swap(buffer_);
  }
  for (const Job& job : unstarted) {
    release_quietly(job);
    forget(job.id);
  }
  // Running handlers finish (they can see ctx.stopping()); heartbeats keep
  // their claims alive meanwhile.
  for (auto& t : executors_)
    if (t.joinable()) t.join();
  {
    std::lock_guard lock(mutex_);
    executors_done_ = true;
  }
  wake_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  try {
    queue_.unregister_worker(info_.id);
  } catch (const std::exception&) {
  }
  log::info("workers stopped", {{"worker_id", info_.id}, {"finished", static_cast<std::int64_t>(finished_.load())}});
}

void WorkerPool::fetch_loop() {
  ThrottledLog errors(std::chrono::seconds(10));
  const std::size_t capacity = static_cast<std::size_t>(options_.concurrency) + options_.prefetch;
  Millis retry_delay = options_.poll_interval;
  while (!stopping_) {
    std::size_t free = 0;
    {
      std::unique_lock lock(mutex_);
      slot_free_.wait(lock, [&] { return stopping_ || buffer_.size() + running_ < capacity; });
      if (stopping_) break;
      free = capacity - buffer_.size() - running_;
    }
    std::vector<Job> jobs;
    try {
      jobs = queue_.claim(options_.queues, info_.id, free, options_.visibility);
      retry_delay = options_.poll_interval;
    } catch (const std::exception& e) {
      errors.warn("claiming jobs failed", e);
      // Back off while the backend is down: up to 2 s between tries.
      retry_delay = std::min(Millis(2000), retry_delay * 2);
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, retry_delay, [&] { return stopping_.load(); });
      continue;
    }
    std::unique_lock lock(mutex_);
    if (jobs.empty()) {
      wake_.wait_for(lock, options_.poll_interval, [&] { return stopping_.load(); });
      continue;
    }
    for (auto& job : jobs) {
      in_flight_.emplace(job.id, InFlight{job, std::make_shared<std::atomic<bool>>(false)});
      buffer_.push_back(std::move(job));
    }
    lock.unlock();
    work_ready_.notify_all();
  }
}

void WorkerPool::execute_loop() {
  // An executor takes its share of the buffered jobs (one when work is
  // scarce) and acknowledges the successful ones together, so a busy pool
  // pays one round trip per batch rather than per job.
  constexpr std::size_t kMaxBatch = 64;
  std::vector<Job> batch;
  std::vector<std::shared_ptr<std::atomic<bool>>> cancels;
  std::vector<Job> succeeded;
  std::vector<nlohmann::json> results;
  while (true) {
    batch.clear();
    cancels.clear();
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !buffer_.empty(); });
      if (stopping_) return;  // stop() releases whatever is still buffered
      const std::size_t share =
          std::clamp<std::size_t>(buffer_.size() / static_cast<std::size_t>(options_.concurrency), 1, kMaxBatch);
      for (std::size_t i = 0; i < share && !buffer_.empty(); ++i) {
        batch.push_back(std::move(buffer_.front()));
        buffer_.pop_front();
        cancels.push_back(in_flight_.at(batch.back().id).cancel);
      }
      running_ += batch.size();
    }
    succeeded.clear();
    results.clear();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // Once stopping, the rest of the batch goes back unstarted.
      if (stopping_) {
        release_quietly(batch[i]);
        continue;
      }
      if (auto result = run(batch[i], *cancels[i])) {
        succeeded.push_back(batch[i]);
        results.push_back(std::move(*result));
      }
    }
    try {
      queue_.complete_many(succeeded, results);
    } catch (const std::exception& e) {
      // Unrecorded: the claims run out and the jobs are delivered again,
      // which idempotent handlers tolerate.
      log::warn("could not record finished jobs",
                {{"count", static_cast<std::int64_t>(succeeded.size())}, {"error", e.what()}});
    }
    for (const auto& job : batch) forget(job.id);
    {
      std::lock_guard lock(mutex_);
      running_ -= batch.size();
    }
    finished_.fetch_add(batch.size(), std::memory_order_relaxed);
    slot_free_.notify_one();
  }
}

void WorkerPool::release_quietly(const Job& job) {
  try {
    queue_.release(job);
  } catch (const std::exception& e) {
    log::warn("could not release a job; it returns after the visibility timeout",
              {{"job_id", job.id}, {"error", e.what()}});
  }
}

std::optional<nlohmann::json> WorkerPool::run(const Job& job, const std::atomic<bool>& cancel) {
  const JobHandler* handler = handlers_.find(job.name);
  JobContext ctx(queue_, job, cancel, stopping_);
  // The attempt's log lines carry the job id, and go to its trail when an observer wants one.
  std::unique_ptr<log::Breadcrumbs> crumbs = keep_breadcrumbs_ ? std::make_unique<log::Breadcrumbs>() : nullptr;
  log::RequestScope scope(job.id, crumbs.get());
  const auto started = std::chrono::steady_clock::now();
  auto attempted = [&](AttemptOutcome outcome, const std::exception* error) {
    report(job, {outcome, std::chrono::steady_clock::now() - started, error, crumbs.get()});
  };
  try {
    try {
      if (handler == nullptr) throw std::runtime_error(fmt::format("no handler for job '{}' in this worker", job.name));
      (*handler)(ctx);
      attempted(AttemptOutcome::Completed, nullptr);
      return ctx.result();
    } catch (const JobCancelled&) {
      attempted(AttemptOutcome::Cancelled, nullptr);
      queue_.mark_cancelled(job);
    } catch (const ReleaseJob&) {
      attempted(AttemptOutcome::Released, nullptr);
      queue_.release(job);
    } catch (const PermanentJobError& e) {
      log::warn("job failed permanently", {{"job_id", job.id}, {"job", job.name}, {"error", e.what()}});
      attempted(AttemptOutcome::Failed, &e);
      queue_.fail(job, decide_failure(job, e.what(), true, options_.backoff, unit_random()));
    } catch (const ServiceUnavailable&) {
      throw;  // the queue itself: nothing to record now
    } catch (const std::exception& e) {
      auto failure = decide_failure(job, e.what(), false, options_.backoff, unit_random());
      log::warn(failure.retry_in ? "job attempt failed; will retry" : "job failed on its last attempt",
                {{"job_id", job.id},
                 {"job", job.name},
                 {"attempt", job.attempts},
                 {"max_attempts", job.max_attempts},
                 {"error", e.what()}});
      attempted(failure.retry_in ? AttemptOutcome::Retrying : AttemptOutcome::Failed, &e);
      queue_.fail(job, failure);
    }
  } catch (const std::exception& e) {
    log::warn("could not record a job's outcome", {{"job_id", job.id}, {"error", e.what()}});
  }
  return std::nullopt;
}

void WorkerPool::report(const Job& job, AttemptReport report) const noexcept {
  for (auto* o : observers_) o->attempted(job, report);
}

std::vector<Job> WorkerPool::in_flight_snapshot() {
  std::lock_guard lock(mutex_);
  std::vector<Job> jobs;
  jobs.reserve(in_flight_.size());
  for (const auto& [_, f] : in_flight_) jobs.push_back(f.job);
  return jobs;
}

void WorkerPool::forget(const std::string& id) {
  std::lock_guard lock(mutex_);
  in_flight_.erase(id);
}

void WorkerPool::heartbeat_loop() {
  ThrottledLog errors(std::chrono::seconds(10));
  auto next_maintenance = std::chrono::steady_clock::now() + options_.maintenance_interval / 10;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      // While stopping, keep beating until the executors have finished.
      wake_.wait_for(lock, options_.heartbeat_interval, [&] { return executors_done_.load(); });
      if (executors_done_) return;
    }
    try {
      const auto jobs = in_flight_snapshot();
      const auto cancelled = queue_.heartbeat(info_, jobs, options_.visibility);
      if (!cancelled.empty()) {
        std::lock_guard lock(mutex_);
        for (const auto& id : cancelled)
          if (auto it = in_flight_.find(id); it != in_flight_.end()) it->second.cancel->store(true);
      }
      if (!stopping_ && std::chrono::steady_clock::now() >= next_maintenance) {
        next_maintenance = std::chrono::steady_clock::now() + options_.maintenance_interval;
        queue_.maintain();
      }
    } catch (const std::exception& e) {
      errors.warn("job heartbeat failed", e);
    }
  }
}

}  // namespace herald::jobs
