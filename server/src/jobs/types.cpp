#include "jobs/types.hpp"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

namespace herald::jobs {
namespace {

constexpr std::pair<JobStatus, std::string_view> kStatusNames[] = {
    {JobStatus::Queued, "queued"},       {JobStatus::Scheduled, "scheduled"}, {JobStatus::Retrying, "retrying"},
    {JobStatus::Running, "running"},     {JobStatus::Completed, "completed"}, {JobStatus::Failed, "failed"},
    {JobStatus::Cancelled, "cancelled"}, {JobStatus::Dead, "dead"},
};

nlohmann::json optional_time(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(to_rfc3339(*t)) : nlohmann::json(nullptr);
}

}  // namespace

bool is_known_queue(std::string_view queue) noexcept {
  return std::find(kQueues.begin(), kQueues.end(), queue) != kQueues.end();
}

std::string_view to_string(JobStatus s) noexcept {
  for (const auto& [status, name] : kStatusNames)
    if (status == s) return name;
  return "unknown";
}

std::optional<JobStatus> parse_status(std::string_view s) noexcept {
  for (const auto& [status, name] : kStatusNames)
    if (name == s) return status;
  return std::nullopt;
}

std::int64_t to_millis(TimePoint t) noexcept {
  return std::chrono::duration_cast<Millis>(t.time_since_epoch()).count();
}

TimePoint from_millis(std::int64_t ms) noexcept {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(Millis(ms)));
}

std::string to_rfc3339(TimePoint t) {
  const std::int64_t ms = to_millis(t);
  const std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ((ms % 1000) + 1000) % 1000);
}

JobStatus waiting_status(int attempts, bool has_error, TimePoint run_at, TimePoint now) noexcept {
  if (attempts > 0 && has_error) return JobStatus::Retrying;
  return run_at > now ? JobStatus::Scheduled : JobStatus::Queued;
}

nlohmann::json to_json(const QueueStats& s) {
  return {{"name", s.name},
          {"pending", s.pending},
          {"scheduled", s.scheduled},
          {"active", s.active},
          {"failed", s.failed},
          {"processed_per_minute", s.processed_per_minute},
          {"oldest_pending_age_s", s.oldest_pending_age_s}};
}

nlohmann::json job_status_json(const Job& j) {
  return {{"id", j.id},
          {"queue", j.queue},
          {"name", j.name},
          {"status", to_string(j.status)},
          {"attempts", j.attempts},
          {"max_attempts", j.max_attempts},
          {"priority", j.priority},
          {"progress", j.progress},
          {"progress_detail", j.progress_detail},
          {"result", j.result},
          {"error", j.error ? nlohmann::json(*j.error) : nlohmann::json(nullptr)},
          {"run_at", to_rfc3339(j.run_at)},
          {"next_attempt_at", j.status == JobStatus::Retrying ? nlohmann::json(to_rfc3339(j.run_at)) : nullptr},
          {"created_at", to_rfc3339(j.created_at)},
          {"started_at", optional_time(j.started_at)},
          {"finished_at", optional_time(j.finished_at)}};
}

}  // namespace herald::jobs
