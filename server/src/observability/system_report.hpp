// GET /api/admin/system: everything the admin dashboard shows, for the whole
// installation — the traffic figures summed over every API process (active
// users, API calls today, error rate, average and p95 response time, and a
// per-minute series for the charts), the health report (status and reason,
// uptime, CPU/MEM/DISK, each service), the campaigns being sent and the job
// queues with their counts.
#pragma once

#include <cstdint>
#include <functional>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "health/interface.hpp"
#include "jobs/queue.hpp"
#include "observability/system_store.hpp"

namespace herald::observability {

// The per-minute series of the charts: `minutes` minutes ending with the
// current one, oldest first, minutes without calls included as zeros.
// {t (RFC 3339, the minute's start), calls, errors, avg_response_ms}
nlohmann::json minute_series(const std::vector<MinuteRow>& rows, std::int64_t first_minute, int minutes);

class SystemReport {
 public:
  static constexpr int kDefaultMinutes = 60;
  static constexpr int kMaxMinutes = 1440;

  // `flush` writes this process's last seconds first (may be empty).
  // `active_campaigns` counts the active campaigns — scheduled, sending or
  // paused (campaigns::Campaigns::active_count, the analytics overview's
  // definition too); empty, or throwing, gives null rather than a guess.
  SystemReport(SystemFiguresStore& store, health::Reports& health, jobs::JobQueue& queue, const Clock& clock,
               std::function<void()> flush, std::function<std::int64_t()> active_campaigns = {});

  nlohmann::json build(int minutes);

 private:
  nlohmann::json queues();

  SystemFiguresStore& store_;
  health::Reports& health_;
  jobs::JobQueue& queue_;
  const Clock& clock_;
  std::function<void()> flush_;
  std::function<std::int64_t()> active_campaigns_;
};

}  // namespace herald::observability
