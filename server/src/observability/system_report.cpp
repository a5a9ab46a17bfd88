#include "observability/system_report.hpp"

#include <cmath>
#include <map>

#include "core/log.hpp"
#include "core/time.hpp"
#include "jobs/types.hpp"

namespace herald::observability {
namespace {

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

}  // namespace

nlohmann::json minute_series(const std::vector<MinuteRow>& rows, std::int64_t first_minute, int minutes) {
  std::map<std::int64_t, const MinuteRow*> by_minute;
  for (const auto& r : rows) by_minute[r.minute] = &r;
  auto out = nlohmann::json::array();
  for (std::int64_t m = first_minute; m < first_minute + minutes; ++m) {
    const auto it = by_minute.find(m);
    const std::uint64_t calls = it == by_minute.end() ? 0 : it->second->calls;
    const std::uint64_t errors = it == by_minute.end() ? 0 : it->second->errors;
    const double avg_ms =
        calls == 0 ? 0.0 : static_cast<double>(it->second->latency.sum_ns) / 1e6 / static_cast<double>(calls);
    out.push_back({{"t", rfc3339(std::chrono::system_clock::time_point(std::chrono::minutes(m)))},
                   {"calls", calls},
                   {"errors", errors},
                   {"avg_response_ms", round3(avg_ms)}});
  }
  return out;
}

SystemReport::SystemReport(SystemFiguresStore& store, health::Reports& health, jobs::JobQueue& queue,
                           const Clock& clock, std::function<void()> flush,
                           std::function<std::int64_t()> active_campaigns)
    : store_(store),
      health_(health),
      queue_(queue),
      clock_(clock),
      flush_(std::move(flush)),
      active_campaigns_(std::move(active_campaigns)) {}

nlohmann::json SystemReport::queues() {
  auto out = nlohmann::json::array();
  for (auto name : jobs::kQueues) {
    const jobs::QueueStats s = queue_.stats(std::string(name));
    out.push_back({{"name", std::string(name)},
                   {"pending", s.pending},
                   {"scheduled", s.scheduled},
                   {"active", s.active},
                   {"failed", s.failed},
                   {"processed_per_minute", s.processed_per_minute},
                   {"oldest_pending_age_s", s.oldest_pending_age_s}});
  }
  return out;
}

nlohmann::json SystemReport::build(int minutes) {
  if (flush_) flush_();
  const auto now = clock_.wall();
  nlohmann::json doc = to_json(read_figures(store_, now));
  const std::int64_t first = minute_of(now) - minutes + 1;
  doc["traffic"] = minute_series(store_.series(first, minute_of(now) + 1), first, minutes);
  // Unknown (no campaigns module, or the database is down): null rather than a made-up zero.
  doc["active_campaigns"] = nullptr;
  if (active_campaigns_) {
    try {
      doc["active_campaigns"] = active_campaigns_();
    } catch (const std::exception& e) {
      log::warn("admin system: active campaigns unavailable", {{"error", e.what()}});
    }
  }

  const nlohmann::json health = health_.detailed();
  for (const char* key : {"status", "reason", "version", "uptime_s", "system", "services"}) {
    if (health.contains(key)) doc[key] = health[key];
  }
  try {
    doc["queues"] = queues();
  } catch (const std::exception& e) {
    // The queue backend is down (the services say so); the rest still answers.
    log::warn("admin system: queue counts unavailable", {{"error", e.what()}});
    doc["queues"] = nlohmann::json::array();
  }
  doc["generated_at"] = rfc3339(now);
  return doc;
}

}  // namespace herald::observability
