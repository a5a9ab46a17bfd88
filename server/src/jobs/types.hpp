// Background jobs: what a job is, what a caller asks for, and what the admin
// pages report. Shared by both queue backends (database and Redis Streams).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace herald::jobs {

using TimePoint = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

// The queues Herald runs. Workers consume a subset (`herald worker --queues`).
inline constexpr std::array<std::string_view, 3> kQueues = {"emails", "campaigns", "analytics"};
bool is_known_queue(std::string_view queue) noexcept;

// Where a job is in its life. `scheduled` is a queued job whose run_at is in
// the future (delayed); `retrying` is a queued job whose last attempt failed
// (its error is the job's error, run_at the time of the next attempt);
// `failed` means a handler gave up for good (PermanentJobError); `dead`
// means every attempt failed. Failed and dead jobs are the dead letters an
// admin can retry. `retrying` and `scheduled` are never stored: the backends
// derive them from a waiting job's run_at, attempts and error.
enum class JobStatus { Queued, Scheduled, Retrying, Running, Completed, Failed, Cancelled, Dead };

std::string_view to_string(JobStatus s) noexcept;
std::optional<JobStatus> parse_status(std::string_view s) noexcept;

// What a caller enqueues.
struct JobSpec {
  std::string name;                                   // handler name, e.g. "email.send"
  std::string queue = "emails";                       // one of kQueues
  nlohmann::json payload = nlohmann::json::object();  // a JSON object, ≤ kMaxPayloadBytes serialised
  int priority = 0;                                   // higher runs first; -100..100
  std::optional<TimePoint> run_at;                    // not before; unset = now
  int max_attempts = 5;                               // 1..100
  std::optional<std::string> unique_key;              // a second job with the same key is not created
};

inline constexpr int kMinPriority = -100;
inline constexpr int kMaxPriority = 100;
inline constexpr int kMaxAttempts = 100;
inline constexpr std::size_t kMaxNameLength = 100;
inline constexpr std::size_t kMaxUniqueKeyLength = 200;
inline constexpr std::size_t kMaxPayloadBytes = 1 << 20;

// A job as stored, and as a worker receives it.
struct Job {
  std::string id;
  std::string queue;
  std::string name;
  nlohmann::json payload = nlohmann::json::object();
  int priority = 0;
  JobStatus status = JobStatus::Queued;
  int attempts = 0;  // attempts started so far, this one included while running
  int max_attempts = 5;
  std::optional<std::string> unique_key;
  TimePoint run_at{};
  TimePoint created_at{};
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;
  int progress = 0;  // percent
  nlohmann::json progress_detail;
  nlohmann::json result;
  std::optional<std::string> error;  // the last attempt's error
  std::optional<std::string> worker_id;
  bool cancel_requested = false;
  // Backend-private handle of a claimed delivery (the Redis stream entry).
  std::string receipt;
};

// The result of enqueueing one spec: the job's id, and whether it was created
// (false when a job with the same unique key already existed).
struct Enqueued {
  std::string id;
  bool created = true;
};

// What happens after a failed attempt.
struct Failure {
  std::string error;
  // Run again after this delay; unset = no more attempts.
  std::optional<Millis> retry_in;
  // The handler gave up for good (status failed rather than dead).
  bool permanent = false;
};

struct QueueStats {
  std::string name;
  std::int64_t pending = 0;               // ready to run now
  std::int64_t scheduled = 0;             // waiting for their run_at
  std::int64_t active = 0;                // claimed by a worker
  std::int64_t failed = 0;                // failed or dead, waiting for an admin
  std::int64_t processed_per_minute = 0;  // completed in the last 60 s
  double oldest_pending_age_s = 0;        // since the oldest ready job became due
};

// A worker process announcing itself (heartbeats).
struct WorkerInfo {
  std::string id;
  std::vector<std::string> queues;
  int concurrency = 0;
  std::string host;
  std::int64_t pid = 0;
};

struct Page {
  std::vector<Job> items;
  std::int64_t total = 0;
};

// Milliseconds since the Unix epoch, the stored form of every job time.
std::int64_t to_millis(TimePoint t) noexcept;
TimePoint from_millis(std::int64_t ms) noexcept;
// RFC 3339 UTC with milliseconds, e.g. "2026-01-02T03:04:05.678Z".
std::string to_rfc3339(TimePoint t);

// API views (explicit allow-lists; a Job is never serialised wholesale).
// The status of a waiting (stored as queued) job: retrying after a failed
// attempt, scheduled for later, or queued.
JobStatus waiting_status(int attempts, bool has_error, TimePoint run_at, TimePoint now) noexcept;

nlohmann::json to_json(const QueueStats& s);
// {id, queue, name, status, attempts, max_attempts, error, next_attempt_at (retrying only), ...}
nlohmann::json job_status_json(const Job& j);

}  // namespace herald::jobs
