#include "jobs/redis_queue.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "jobs/job_id.hpp"
#include "jobs/redis_scripts.hpp"
#include "jobs/validation.hpp"

namespace herald::jobs {
namespace {

constexpr std::size_t kMaxErrorLength = 4000;

// The prelude with the key prefix filled in, then the script.
std::string with_prelude(std::string_view body, std::string_view prefix) {
  std::string s(scripts::kPrelude);
  const std::string placeholder = "'herald:'";
  s.replace(s.find(placeholder), placeholder.size(), nlohmann::json(std::string(prefix)).dump());
  s += body;
  return s;
}

std::int64_t to_int(std::string_view s, std::int64_t fallback = 0) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() ? v : fallback;
}

nlohmann::json parse_json_or(std::string_view text, nlohmann::json fallback) {
  if (text.empty()) return fallback;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_discarded() ? fallback : parsed;
}

// Redis errors that mean "not now" rather than a bug.
bool is_transient(std::string_view message) {
  for (std::string_view prefix : {"LOADING", "OOM", "READONLY", "MASTERDOWN", "BUSY", "TRYAGAIN", "CLUSTERDOWN"}) {
    if (message.starts_with(prefix)) return true;
  }
  return false;
}

// Receipt of a delivery: "<stream> <entry>".
std::pair<std::string, std::string> split_receipt(const std::string& receipt) {
  const auto space = receipt.find(' ');
  if (space == std::string::npos) return {"", ""};
  return {receipt.substr(0, space), receipt.substr(space + 1)};
}

}  // namespace

Job job_from_hash(const std::vector<redis::RedisValue>& flat, std::int64_t now_ms) {
  std::unordered_map<std::string_view, std::string_view> f;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) f.emplace(flat[i].as_string(), flat[i + 1].as_string());
  auto get = [&f](std::string_view k) -> std::string_view {
    auto it = f.find(k);
    return it == f.end() ? std::string_view() : it->second;
  };
  Job j;
  j.id = std::string(get("id"));
  j.queue = std::string(get("queue"));
  j.name = std::string(get("name"));
  j.payload = parse_json_or(get("payload"), nlohmann::json::object());
  j.priority = static_cast<int>(to_int(get("priority")));
  j.status = parse_status(get("status")).value_or(JobStatus::Queued);
  j.attempts = static_cast<int>(to_int(get("attempts")));
  j.max_attempts = static_cast<int>(to_int(get("max_attempts"), 1));
  if (!get("unique_key").empty()) j.unique_key = std::string(get("unique_key"));
  j.run_at = from_millis(to_int(get("run_at")));
  // The hash says queued or scheduled (waiting in the delayed set) for every waiting job.
  if (j.status == JobStatus::Queued || j.status == JobStatus::Scheduled)
    j.status = waiting_status(j.attempts, !get("error").empty(), j.run_at, from_millis(now_ms));
  j.created_at = from_millis(to_int(get("created_at")));
  if (!get("started_at").empty()) j.started_at = from_millis(to_int(get("started_at")));
  if (!get("finished_at").empty()) j.finished_at = from_millis(to_int(get("finished_at")));
  j.progress = static_cast<int>(to_int(get("progress")));
  j.progress_detail = parse_json_or(get("progress_detail"), nullptr);
  j.result = parse_json_or(get("result"), nullptr);
  if (!get("error").empty()) j.error = std::string(get("error"));
  if (!get("worker").empty()) j.worker_id = std::string(get("worker"));
  j.cancel_requested = get("cancel") == "1";
  if (!get("entry").empty()) j.receipt = fmt::format("{} {}", get("stream"), get("entry"));
  return j;
}

RedisQueue::RedisQueue(redis::RedisClient& redis, const Clock& clock, RedisQueueOptions options)
    : redis_(redis), clock_(clock), options_(std::move(options)) {
  scripts_.enqueue = redis_.add_script(with_prelude(scripts::kEnqueue, options_.prefix));
  scripts_.claim = redis_.add_script(with_prelude(scripts::kClaim, options_.prefix));
  scripts_.complete = redis_.add_script(with_prelude(scripts::kComplete, options_.prefix));
  scripts_.fail = redis_.add_script(with_prelude(scripts::kFail, options_.prefix));
  scripts_.release = redis_.add_script(with_prelude(scripts::kRelease, options_.prefix));
  scripts_.mark_cancelled = redis_.add_script(with_prelude(scripts::kMarkCancelled, options_.prefix));
  scripts_.cancel = redis_.add_script(with_prelude(scripts::kCancel, options_.prefix));
  scripts_.heartbeat = redis_.add_script(with_prelude(scripts::kHeartbeat, options_.prefix));
  scripts_.retry = redis_.add_script(with_prelude(scripts::kRetry, options_.prefix));
  scripts_.stats = redis_.add_script(with_prelude(scripts::kStats, options_.prefix));
}

std::int64_t RedisQueue::now_ms() const { return to_millis(clock_.wall()); }

std::string RedisQueue::key(std::string_view kind, std::string_view name) const {
  return fmt::format("{}{}:{}", options_.prefix, kind, name);
}

template <typename F>
auto RedisQueue::guarded(F&& f) {
  try {
    return f();
  } catch (const redis::RedisError& e) {
    if (is_transient(e.what())) throw ServiceUnavailable(fmt::format("Redis is not accepting work: {}", e.what()));
    throw;
  }
}

std::vector<std::string> RedisQueue::delivery_args(const Job& job) const {
  auto [stream, entry] = split_receipt(job.receipt);
  return {job.id, stream, entry, std::to_string(job.attempts)};
}

std::vector<Enqueued> RedisQueue::enqueue_batch(std::span<const JobSpec> specs) {
  std::vector<Enqueued> out;
  out.reserve(specs.size());
  for (const auto& spec : specs) validate(spec);
  const std::string now = std::to_string(now_ms());
  // Several scripts of a few hundred jobs each, pipelined: one round trip per
  // chunk, and Redis is never blocked by one long script.
  constexpr std::size_t kPerScript = 200;
  return guarded([&] {
    for (std::size_t start = 0; start < specs.size(); start += options_.enqueue_chunk) {
      const std::size_t end = std::min(specs.size(), start + options_.enqueue_chunk);
      std::vector<redis::ScriptCall> calls;
      for (std::size_t i = start; i < end; ++i) {
        if ((i - start) % kPerScript == 0) calls.push_back({{}, {now}});
        const JobSpec& s = specs[i];
        auto& args = calls.back().args;
        args.push_back(new_job_id());
        args.push_back(s.queue);
        args.push_back(s.name);
        args.push_back(s.payload.dump());
        args.push_back(std::to_string(s.priority));
        args.push_back(std::to_string(s.max_attempts));
        args.push_back(s.unique_key.value_or(""));
        args.push_back(s.run_at ? std::to_string(std::max<std::int64_t>(0, to_millis(*s.run_at))) : now);
      }
      for (const auto& r : redis_.pipeline_eval(scripts_.enqueue, calls)) {
        if (r.is_error()) throw redis::RedisError(r.str);
        for (std::size_t k = 0; k + 1 < r.elements.size(); k += 2) {
          out.push_back({r.elements[k].as_string(), r.elements[k + 1].as_int() == 1});
        }
      }
    }
    if (out.size() != specs.size()) throw redis::RedisError("unexpected reply to the enqueue script");
    return out;
  });
}

std::vector<Job> RedisQueue::claim(std::span<const std::string> queues, const std::string& worker_id, std::size_t max,
                                   Millis visibility) {
  std::vector<Job> out;
  if (queues.empty() || max == 0) return out;
  const std::int64_t now = now_ms();
  std::int64_t due = next_take_over_ms_.load();
  const bool take_over =
      now >= due && next_take_over_ms_.compare_exchange_strong(due, now + options_.take_over_interval.count());
  redis::ScriptCall call;
  call.args = {worker_id, std::to_string(now), std::to_string(visibility.count()), std::to_string(max),
               take_over ? "1" : "0"};
  const std::size_t first = rotation_.fetch_add(1) % queues.size();
  for (std::size_t k = 0; k < queues.size(); ++k) call.args.push_back(queues[(first + k) % queues.size()]);
  const auto reply = guarded([&] { return redis_.eval(scripts_.claim, call); });
  for (const auto& flat : reply.elements) {
    out.push_back(job_from_hash(flat.elements, now));
    out.back().status = JobStatus::Running;
  }
  return out;
}

void RedisQueue::complete_many(std::span<const Job> jobs, std::span<const nlohmann::json> results) {
  if (jobs.empty()) return;
  const std::int64_t now = now_ms();
  redis::ScriptCall call;
  call.args = {std::to_string(now),
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options_.retention).count()),
               std::to_string(now / 60'000)};
  call.args.reserve(3 + 7 * jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    auto args = delivery_args(jobs[i]);
    call.args.insert(call.args.end(), args.begin(), args.end());
    call.args.push_back(results[i].is_null() ? std::string() : results[i].dump());
    call.args.push_back(jobs[i].queue);
    call.args.push_back(jobs[i].unique_key.value_or(""));
  }
  const auto r = guarded([&] { return redis_.eval(scripts_.complete, call); });
  if (r.as_int() < static_cast<long long>(jobs.size())) {
    log::warn("jobs completed after their claims were lost",
              {{"count", static_cast<std::int64_t>(jobs.size() - static_cast<std::size_t>(r.as_int()))}});
  }
}

void RedisQueue::fail(const Job& job, const Failure& failure) {
  auto args = delivery_args(job);
  const std::int64_t now = now_ms();
  args.push_back(std::to_string(now));
  args.push_back(failure.error.substr(0, kMaxErrorLength));
  args.push_back(failure.retry_in ? std::to_string(now + failure.retry_in->count()) : std::string());
  args.push_back(failure.permanent ? "failed" : "dead");
  guarded([&] { return redis_.eval(scripts_.fail, {{}, args}); });
}

void RedisQueue::release(const Job& job) {
  guarded([&] { return redis_.eval(scripts_.release, {{}, delivery_args(job)}); });
}

void RedisQueue::mark_cancelled(const Job& job) {
  auto args = delivery_args(job);
  args.push_back(std::to_string(now_ms()));
  args.push_back(std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options_.retention).count()));
  guarded([&] { return redis_.eval(scripts_.mark_cancelled, {{}, args}); });
}

std::vector<std::string> RedisQueue::heartbeat(const WorkerInfo& worker, std::span<const Job> in_flight,
                                               Millis visibility) {
  const std::int64_t now = now_ms();
  const auto ttl = std::to_string(std::max<std::int64_t>(60, 3 * visibility.count() / 1000));
  std::vector<redis::RedisArgs> commands = {
      {"ZADD", key("workers", "all"), std::to_string(now), worker.id},
      {"HSET", key("worker", worker.id), "queues", fmt::format("{}", fmt::join(worker.queues, ",")), "concurrency",
       std::to_string(worker.concurrency), "host", worker.host, "pid", std::to_string(worker.pid)},
      {"EXPIRE", key("worker", worker.id), ttl},
  };
  std::vector<std::string> cancelled;
  guarded([&] {
    redis_.pipeline(commands);
    if (in_flight.empty()) return 0;
    redis::ScriptCall call;
    call.args.push_back(worker.id);
    for (const Job& job : in_flight) {
      auto args = delivery_args(job);
      call.args.insert(call.args.end(), args.begin(), args.end());
    }
    const auto r = redis_.eval(scripts_.heartbeat, call);
    for (const auto& id : r.elements) cancelled.push_back(id.as_string());
    return 0;
  });
  return cancelled;
}

std::vector<WorkerInfo> RedisQueue::live_workers(Millis within) {
  return guarded([&] {
    const auto ids =
        redis_.command({"ZRANGEBYSCORE", key("workers", "all"), std::to_string(now_ms() - within.count()), "+inf"});
    std::vector<redis::RedisArgs> commands;
    for (const auto& id : ids.elements) commands.push_back({"HGETALL", key("worker", id.as_string())});
    const auto infos = redis_.pipeline(commands);
    std::vector<WorkerInfo> out;
    for (std::size_t i = 0; i < infos.size(); ++i) {
      WorkerInfo w;
      w.id = ids.elements[i].as_string();
      const auto& flat = infos[i].elements;
      for (std::size_t k = 0; k + 1 < flat.size(); k += 2) {
        const auto& field = flat[k].as_string();
        const auto& value = flat[k + 1].as_string();
        if (field == "queues") {
          for (auto q : split(value, ',')) w.queues.emplace_back(q);
        } else if (field == "concurrency") {
          w.concurrency = static_cast<int>(to_int(value));
        } else if (field == "host") {
          w.host = value;
        } else if (field == "pid") {
          w.pid = to_int(value);
        }
      }
      out.push_back(std::move(w));
    }
    return out;
  });
}

void RedisQueue::unregister_worker(const std::string& worker_id) {
  guarded([&] {
    return redis_.pipeline({{"ZREM", key("workers", "all"), worker_id}, {"DEL", key("worker", worker_id)}});
  });
}

void RedisQueue::set_progress(const Job& job, int percent, const nlohmann::json& detail) {
  guarded([&] {
    return redis_.command({"HSET", key("job", job.id), "progress", std::to_string(std::clamp(percent, 0, 100)),
                           "progress_detail", detail.is_null() ? std::string() : detail.dump()});
  });
}

bool RedisQueue::cancel(const std::string& job_id) {
  const auto retention = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options_.retention).count());
  const auto r = guarded([&] {
    return redis_.eval(scripts_.cancel, {{}, {job_id, std::to_string(now_ms()), retention}});
  });
  if (r.as_int() < 0) throw NotFound(fmt::format("no job with id '{}'", job_id));
  return r.as_int() == 1;
}

std::optional<Job> RedisQueue::get(const std::string& job_id) {
  const auto r = guarded([&] { return redis_.command({"HGETALL", key("job", job_id)}); });
  if (r.elements.empty()) return std::nullopt;
  return job_from_hash(r.elements, now_ms());
}

std::optional<Job> RedisQueue::find_unique(const std::string& unique_key) {
  const auto id = guarded([&] { return redis_.command({"GET", key("unique", unique_key)}); });
  if (id.as_string().empty()) return std::nullopt;
  return get(id.as_string());
}

QueueStats RedisQueue::stats(const std::string& queue) {
  const std::int64_t now = now_ms();
  const std::int64_t minute = now / 60'000;
  QueueStats s;
  s.name = queue;
  guarded([&] {
    const auto r = redis_.eval(scripts_.stats, {{}, {queue}});
    const auto counts = redis_.pipeline({{"GET", key("processed", fmt::format("{}:{}", queue, minute))},
                                         {"GET", key("processed", fmt::format("{}:{}", queue, minute - 1))}});
    s.pending = r.elements.at(0).as_int();
    s.scheduled = r.elements.at(1).as_int();
    s.active = r.elements.at(2).as_int();
    s.failed = r.elements.at(3).as_int();
    const auto& oldest = r.elements.at(4).as_string();
    if (!oldest.empty()) {
      const std::int64_t since = to_int(std::string_view(oldest).substr(0, oldest.find('-')));
      s.oldest_pending_age_s = static_cast<double>(std::max<std::int64_t>(0, now - since)) / 1000.0;
    }
    // A sliding minute from two fixed ones: all of this minute plus the part
    // of the previous one that is still within the last 60 s.
    const double elapsed = static_cast<double>(now % 60'000) / 60'000.0;
    s.processed_per_minute =
        counts[0].as_int() + std::llround(static_cast<double>(counts[1].as_int()) * (1.0 - elapsed));
    return 0;
  });
  return s;
}

Page RedisQueue::failed(const std::string& queue, std::int64_t offset, std::int64_t limit) {
  Page page;
  const std::int64_t now = now_ms();
  guarded([&] {
    const std::string dead = key("dead", queue);
    page.total = redis_.command({"XLEN", dead}).as_int();
    const auto entries = redis_.command({"XREVRANGE", dead, "+", "-", "COUNT", std::to_string(offset + limit)});
    std::vector<redis::RedisArgs> commands;
    for (std::size_t i = static_cast<std::size_t>(offset); i < entries.elements.size(); ++i) {
      const auto& fields = entries.elements[i].elements.at(1).elements;
      if (fields.size() >= 2) commands.push_back({"HGETALL", key("job", fields[1].as_string())});
    }
    for (const auto& r : redis_.pipeline(commands)) {
      if (!r.elements.empty()) page.items.push_back(job_from_hash(r.elements, now));
    }
    return 0;
  });
  return page;
}

std::int64_t RedisQueue::retry(const std::string& queue, const std::optional<std::string>& job_id) {
  const std::string now = std::to_string(now_ms());
  if (job_id) {
    const auto r = guarded([&] { return redis_.eval(scripts_.retry, {{}, {*job_id, queue, now}}); });
    if (r.as_int() == 0) throw NotFound(fmt::format("no failed job '{}' in queue '{}'", *job_id, queue));
    return 1;
  }
  std::int64_t retried = 0;
  guarded([&] {
    const std::string dead = key("dead", queue);
    // Each retry removes its entry from the dead-letter stream, so read from the start again.
    while (true) {
      const auto entries = redis_.command({"XRANGE", dead, "-", "+", "COUNT", "1000"});
      if (entries.elements.empty()) break;
      std::vector<redis::ScriptCall> calls;
      std::vector<std::string> orphans;
      for (const auto& e : entries.elements) {
        const auto& fields = e.elements.at(1).elements;
        if (fields.size() >= 2) calls.push_back({{}, {fields[1].as_string(), queue, now}});
        orphans.push_back(e.elements.at(0).as_string());
      }
      std::int64_t moved = 0;
      for (const auto& r : redis_.pipeline_eval(scripts_.retry, calls)) {
        if (r.is_error()) throw redis::RedisError(r.str);
        moved += r.as_int();
      }
      retried += moved;
      // Entries whose job is gone or no longer dead would be read forever.
      redis::RedisArgs del = {"XDEL", dead};
      del.insert(del.end(), orphans.begin(), orphans.end());
      redis_.command(del);
    }
    return 0;
  });
  return retried;
}

void RedisQueue::maintain() {
  const auto cutoff = std::to_string(now_ms() - std::chrono::duration_cast<Millis>(std::chrono::hours(1)).count());
  guarded([&] { return redis_.command({"ZREMRANGEBYSCORE", key("workers", "all"), "-inf", cutoff}); });
}

void RedisQueue::ping() {
  guarded([&] { return redis_.command({"PING"}); });
}

}  // namespace herald::jobs
