#include "jobs/db_queue.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "jobs/job_id.hpp"
#include "jobs/validation.hpp"
#include "storage/query.hpp"

namespace herald::jobs {
namespace {

const storage::Query kInsertBatch{"jobs.insert_batch"};
const storage::Query kFindByUniqueKey{"jobs.find_by_unique_key"};
const storage::Query kClaim{"jobs.claim"};
const storage::Query kRequeueExpired{"jobs.requeue_expired"};
const storage::Query kComplete{"jobs.complete"};
const storage::Query kRetryLater{"jobs.retry_later"};
const storage::Query kBury{"jobs.bury"};
const storage::Query kRelease{"jobs.release"};
const storage::Query kMarkCancelled{"jobs.mark_cancelled"};
const storage::Query kExtend{"jobs.extend"};
const storage::Query kCancelRequests{"jobs.cancel_requests"};
const storage::Query kSetProgress{"jobs.set_progress"};
const storage::Query kCancelWaiting{"jobs.cancel_waiting"};
const storage::Query kRequestCancel{"jobs.request_cancel"};
const storage::Query kGet{"jobs.get"};
const storage::Query kGetByUniqueKey{"jobs.get_by_unique_key"};
const storage::Query kStats{"jobs.stats"};
const storage::Query kFailedPage{"jobs.failed_page"};
const storage::Query kFailedCount{"jobs.failed_count"};
const storage::Query kRetryAll{"jobs.retry_all"};
const storage::Query kRetryOne{"jobs.retry_one"};
const storage::Query kPurgeFinished{"jobs.purge_finished"};
const storage::Query kWorkerHeartbeat{"jobs.worker_heartbeat"};
const storage::Query kWorkersLive{"jobs.workers_live"};
const storage::Query kWorkerDelete{"jobs.worker_delete"};
const storage::Query kWorkersPurge{"jobs.workers_purge"};
const storage::Query kPing{"jobs.ping"};

using storage::Param;
using storage::Row;

// Rows per INSERT … SELECT FROM json array: big enough to amortise the round
// trip, small enough to keep one statement's parameter modest.
constexpr std::size_t kInsertChunk = 1000;
constexpr std::size_t kMaxErrorLength = 4000;
constexpr std::int64_t kPurgeChunk = 5000;

std::string clip(std::string_view s) { return std::string(s.substr(0, kMaxErrorLength)); }

nlohmann::json parse_json_or(std::string_view text, nlohmann::json fallback) {
  if (text.empty()) return fallback;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_discarded() ? fallback : parsed;
}

// The columns of jobs.claim's RETURNING clause.
Job claimed_job(const Row& r) {
  Job j;
  j.id = r.str(0);
  j.queue = r.str(1);
  j.name = r.str(2);
  j.payload = parse_json_or(r.text(3), nlohmann::json::object());
  j.priority = static_cast<int>(r.integer(4));
  j.status = JobStatus::Running;
  j.attempts = static_cast<int>(r.integer(5));
  j.max_attempts = static_cast<int>(r.integer(6));
  j.unique_key = r.opt_str(7);
  j.run_at = from_millis(r.integer(8));
  j.created_at = from_millis(r.integer(9));
  return j;
}

// The columns of jobs.get and jobs.failed_page.
Job stored_job(const Row& r, std::int64_t now) {
  Job j;
  j.id = r.str(0);
  j.queue = r.str(1);
  j.name = r.str(2);
  j.payload = parse_json_or(r.text(3), nlohmann::json::object());
  j.priority = static_cast<int>(r.integer(4));
  const std::string state = r.str(5);
  j.status = parse_status(state).value_or(JobStatus::Queued);
  j.attempts = static_cast<int>(r.integer(6));
  j.max_attempts = static_cast<int>(r.integer(7));
  j.unique_key = r.opt_str(8);
  j.run_at = from_millis(r.integer(9));
  if (j.status == JobStatus::Queued) j.status = waiting_status(j.attempts, !r.is_null(16), j.run_at, from_millis(now));
  j.created_at = from_millis(r.integer(10));
  if (!r.is_null(11)) j.started_at = from_millis(r.integer(11));
  if (!r.is_null(12)) j.finished_at = from_millis(r.integer(12));
  j.progress = static_cast<int>(r.integer(13));
  j.progress_detail = parse_json_or(r.text(14), nullptr);
  j.result = parse_json_or(r.text(15), nullptr);
  j.error = r.opt_str(16);
  j.worker_id = r.opt_str(17);
  j.cancel_requested = r.integer(18) != 0;
  return j;
}

std::string join(std::span<const std::string> items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

}  // namespace

DbQueue::DbQueue(storage::Database& db, const Clock& clock, DbQueueOptions options)
    : db_(db), clock_(clock), options_(options) {}

std::int64_t DbQueue::now_ms() const { return to_millis(clock_.wall()); }

// Runs `f` on a pooled connection; an unreachable database is a 503.
template <typename F>
auto DbQueue::with_connection(F&& f) {
  try {
    auto lease = db_.acquire();
    return f(*lease);
  } catch (const storage::Unavailable& e) {
    throw ServiceUnavailable(fmt::format("the job queue's database is unavailable: {}", e.what()));
  }
}

std::vector<Enqueued> DbQueue::enqueue_batch(std::span<const JobSpec> specs) {
  std::vector<Enqueued> out(specs.size());
  if (specs.empty()) return out;
  for (const auto& spec : specs) validate(spec);
  const std::int64_t now = now_ms();

  return with_connection([&](storage::Connection& conn) {
    storage::Transaction tx(conn, storage::TxMode::Write);
    std::vector<std::size_t> keyed;  // specs with a unique key: created, or found afterwards
    for (std::size_t start = 0; start < specs.size(); start += kInsertChunk) {
      const std::size_t end = std::min(specs.size(), start + kInsertChunk);
      nlohmann::json rows = nlohmann::json::array();
      std::unordered_map<std::string, std::size_t> index;
      for (std::size_t i = start; i < end; ++i) {
        const JobSpec& s = specs[i];
        out[i].id = new_job_id();
        index.emplace(out[i].id, i);
        if (s.unique_key) keyed.push_back(i);
        rows.push_back({{"id", out[i].id},
                        {"queue", s.queue},
                        {"name", s.name},
                        {"payload", s.payload},
                        {"priority", s.priority},
                        {"max_attempts", s.max_attempts},
                        {"unique_key", s.unique_key ? nlohmann::json(*s.unique_key) : nlohmann::json(nullptr)},
                        {"run_at", s.run_at ? std::max(to_millis(*s.run_at), std::int64_t{0}) : now},
                        {"created_at", now}});
        out[i].created = false;
      }
      const std::string text = rows.dump();
      conn.execute(kInsertBatch, {std::string_view(text)}, [&](const Row& r) {
        if (auto it = index.find(std::string(r.text(0))); it != index.end()) out[it->second].created = true;
      });
    }
    for (std::size_t i : keyed) {
      if (out[i].created) continue;
      const std::string& key = *specs[i].unique_key;
      conn.execute(kFindByUniqueKey, {std::string_view(key)}, [&](const Row& r) { out[i].id = r.str(0); });
    }
    tx.commit();
    return out;
  });
}

std::int64_t DbQueue::requeue_expired() {
  const std::int64_t now = now_ms();
  const std::string error = "the worker stopped responding (visibility timeout)";
  const auto n = with_connection([&](storage::Connection& conn) {
    return conn.execute(kRequeueExpired, {now, std::string_view(error)});
  });
  if (n > 0) log::warn("jobs taken back from unresponsive workers", {{"count", n}});
  return n;
}

void DbQueue::claim_from(storage::Connection& conn, const std::string& queue, const std::string& worker_id,
                         std::size_t max, std::int64_t now, std::int64_t until, std::vector<Job>& out) {
  const std::size_t before = out.size();
  conn.execute(kClaim,
               {std::string_view(worker_id), until, now, std::string_view(queue), static_cast<std::int64_t>(max)},
               [&](const Row& r) {
                 out.push_back(claimed_job(r));
                 out.back().worker_id = worker_id;
                 out.back().started_at = from_millis(now);
               });
  // RETURNING does not promise the subquery's order.
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(), [](const Job& a, const Job& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    if (a.run_at != b.run_at) return a.run_at < b.run_at;
    return a.id < b.id;
  });
}

std::vector<Job> DbQueue::claim(std::span<const std::string> queues, const std::string& worker_id, std::size_t max,
                                Millis visibility) {
  std::vector<Job> out;
  if (queues.empty() || max == 0) return out;
  const std::int64_t now = now_ms();
  std::int64_t due = next_reap_ms_.load();
  if (now >= due && next_reap_ms_.compare_exchange_strong(due, now + options_.reap_interval.count())) {
    requeue_expired();
  }
  const std::int64_t until = now + visibility.count();
  // Start at a different queue each time so a busy queue cannot starve the others.
  const std::size_t first = rotation_.fetch_add(1) % queues.size();
  with_connection([&](storage::Connection& conn) {
    for (std::size_t k = 0; k < queues.size() && out.size() < max; ++k) {
      claim_from(conn, queues[(first + k) % queues.size()], worker_id, max - out.size(), now, until, out);
    }
    return 0;
  });
  return out;
}

void DbQueue::complete_many(std::span<const Job> jobs, std::span<const nlohmann::json> results) {
  if (jobs.empty()) return;
  const std::int64_t now = now_ms();
  with_connection([&](storage::Connection& conn) {
    // One transaction: on SQLite one write lock and one commit for the lot.
    std::optional<storage::Transaction> tx;
    if (jobs.size() > 1) tx.emplace(conn, storage::TxMode::Write);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const Job& job = jobs[i];
      const std::string text = results[i].is_null() ? std::string() : results[i].dump();
      const Param result_param = results[i].is_null() ? Param(nullptr) : Param(std::string_view(text));
      const Param params[] = {std::string_view(job.id), std::int64_t{job.attempts}, now, result_param};
      if (conn.execute(kComplete, params) == 0) {
        log::warn("job completed after its claim was lost", {{"job_id", job.id}, {"attempt", job.attempts}});
      }
    }
    if (tx) tx->commit();
    return 0;
  });
  vacuum_if_churned(static_cast<std::int64_t>(jobs.size()));
}

void DbQueue::vacuum_if_churned(std::int64_t finished) {
  constexpr std::int64_t kChurn = 20000;
  if (db_.backend() != storage::Backend::Postgres) return;
  if (finished_since_vacuum_.fetch_add(finished) + finished < kChurn) return;
  if (vacuuming_.exchange(true)) return;  // another thread is on it
  finished_since_vacuum_ = 0;
  try {
    auto conn = db_.acquire();
    conn->execute_script("VACUUM jobs");
  } catch (const std::exception& e) {
    log::warn("jobs table vacuum failed", {{"error", e.what()}});
  }
  vacuuming_ = false;
}

void DbQueue::fail(const Job& job, const Failure& failure) {
  const std::string error = clip(failure.error);
  with_connection([&](storage::Connection& conn) {
    if (failure.retry_in) {
      return conn.execute(kRetryLater, {std::string_view(job.id), std::int64_t{job.attempts},
                                        now_ms() + failure.retry_in->count(), std::string_view(error)});
    }
    const std::string_view state = failure.permanent ? "failed" : "dead";
    return conn.execute(
        kBury, {std::string_view(job.id), std::int64_t{job.attempts}, state, now_ms(), std::string_view(error)});
  });
}

void DbQueue::release(const Job& job) {
  with_connection([&](storage::Connection& conn) {
    return conn.execute(kRelease, {std::string_view(job.id), std::int64_t{job.attempts}});
  });
}

void DbQueue::mark_cancelled(const Job& job) {
  with_connection([&](storage::Connection& conn) {
    return conn.execute(kMarkCancelled, {std::string_view(job.id), std::int64_t{job.attempts}, now_ms()});
  });
}

std::vector<std::string> DbQueue::heartbeat(const WorkerInfo& worker, std::span<const Job> in_flight,
                                            Millis visibility) {
  const std::int64_t now = now_ms();
  const std::string queues = join(worker.queues);
  std::vector<std::string> cancelled;
  with_connection([&](storage::Connection& conn) {
    conn.execute(kWorkerHeartbeat, {std::string_view(worker.id), std::string_view(queues),
                                    std::int64_t{worker.concurrency}, std::string_view(worker.host), worker.pid, now});
    if (in_flight.empty()) return 0;
    conn.execute(kExtend, {std::string_view(worker.id), now + visibility.count()});
    conn.execute(kCancelRequests, {std::string_view(worker.id)}, [&](const Row& r) { cancelled.push_back(r.str(0)); });
    return 0;
  });
  return cancelled;
}

std::vector<WorkerInfo> DbQueue::live_workers(Millis within) {
  std::vector<WorkerInfo> out;
  with_connection([&](storage::Connection& conn) {
    return conn.execute(kWorkersLive, {now_ms() - within.count()}, [&](const Row& r) {
      WorkerInfo w;
      w.id = r.str(0);
      for (auto q : split(r.text(1), ',')) w.queues.emplace_back(q);
      w.concurrency = static_cast<int>(r.integer(2));
      w.host = r.str(3);
      w.pid = r.integer(4);
      out.push_back(std::move(w));
    });
  });
  return out;
}

void DbQueue::unregister_worker(const std::string& worker_id) {
  with_connection(
      [&](storage::Connection& conn) { return conn.execute(kWorkerDelete, {std::string_view(worker_id)}); });
}

void DbQueue::set_progress(const Job& job, int percent, const nlohmann::json& detail) {
  const std::string text = detail.is_null() ? std::string() : detail.dump();
  const Param detail_param = detail.is_null() ? Param(nullptr) : Param(std::string_view(text));
  const Param params[] = {std::string_view(job.id), std::int64_t{std::clamp(percent, 0, 100)}, detail_param};
  with_connection([&](storage::Connection& conn) { return conn.execute(kSetProgress, params); });
}

bool DbQueue::cancel(const std::string& job_id) {
  return with_connection([&](storage::Connection& conn) {
    storage::Transaction tx(conn, storage::TxMode::Write);
    bool found = false;
    std::string state;
    conn.execute(kGet, {std::string_view(job_id)}, [&](const Row& r) {
      found = true;
      state = r.str(5);
    });
    if (!found) throw NotFound(fmt::format("no job with id '{}'", job_id));
    bool accepted = false;
    if (state == "queued") accepted = conn.execute(kCancelWaiting, {std::string_view(job_id), now_ms()}) > 0;
    if (state == "running") accepted = conn.execute(kRequestCancel, {std::string_view(job_id)}) > 0;
    tx.commit();
    return accepted;
  });
}

std::optional<Job> DbQueue::get(const std::string& job_id) {
  std::optional<Job> job;
  const std::int64_t now = now_ms();
  with_connection([&](storage::Connection& conn) {
    return conn.execute(kGet, {std::string_view(job_id)}, [&](const Row& r) { job = stored_job(r, now); });
  });
  return job;
}

std::optional<Job> DbQueue::find_unique(const std::string& unique_key) {
  std::optional<Job> job;
  const std::int64_t now = now_ms();
  with_connection([&](storage::Connection& conn) {
    return conn.execute(kGetByUniqueKey, {std::string_view(unique_key)},
                        [&](const Row& r) { job = stored_job(r, now); });
  });
  return job;
}

QueueStats DbQueue::stats(const std::string& queue) {
  QueueStats s;
  s.name = queue;
  const std::int64_t now = now_ms();
  with_connection([&](storage::Connection& conn) {
    return conn.execute(kStats, {std::string_view(queue), now, now - 60'000}, [&](const Row& r) {
      s.pending = r.integer(0);
      s.scheduled = r.integer(1);
      s.active = r.integer(2);
      s.failed = r.integer(3);
      s.processed_per_minute = r.integer(4);
      if (!r.is_null(5))
        s.oldest_pending_age_s = static_cast<double>(std::max<std::int64_t>(0, now - r.integer(5))) / 1000.0;
    });
  });
  return s;
}

Page DbQueue::failed(const std::string& queue, std::int64_t offset, std::int64_t limit) {
  Page page;
  const std::int64_t now = now_ms();
  with_connection([&](storage::Connection& conn) {
    conn.execute(kFailedCount, {std::string_view(queue)}, [&](const Row& r) { page.total = r.integer(0); });
    return conn.execute(kFailedPage, {std::string_view(queue), limit, offset},
                        [&](const Row& r) { page.items.push_back(stored_job(r, now)); });
  });
  return page;
}

std::int64_t DbQueue::retry(const std::string& queue, const std::optional<std::string>& job_id) {
  const std::int64_t n = with_connection([&](storage::Connection& conn) {
    if (job_id) return conn.execute(kRetryOne, {std::string_view(queue), now_ms(), std::string_view(*job_id)});
    return conn.execute(kRetryAll, {std::string_view(queue), now_ms()});
  });
  if (job_id && n == 0) throw NotFound(fmt::format("no failed job '{}' in queue '{}'", *job_id, queue));
  return n;
}

void DbQueue::maintain() {
  const std::int64_t now = now_ms();
  with_connection([&](storage::Connection& conn) {
    for (auto queue : kQueues) {
      // Bounded deletes, so one pass never holds the write lock for long.
      while (conn.execute(kPurgeFinished, {queue, now - options_.retention.count(), kPurgeChunk}) == kPurgeChunk) {
      }
    }
    conn.execute(kWorkersPurge, {now - std::chrono::duration_cast<Millis>(std::chrono::hours(1)).count()});
    return 0;
  });
}

void DbQueue::ping() {
  with_connection([&](storage::Connection& conn) { return conn.execute(kPing); });
}

}  // namespace herald::jobs
