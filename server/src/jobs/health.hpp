// The health check of the job system: "queue" (backlog and live workers),
// non-critical: the API keeps serving while background work is impaired, and
// the report says "degraded".
#pragma once

#include "health/interface.hpp"
#include "jobs/queue.hpp"

namespace herald::jobs {

class QueueCheck final : public health::HealthCheck {
 public:
  // Workers count as alive with a heartbeat within `alive_within`.
  QueueCheck(JobQueue& queue, Millis alive_within) : queue_(queue), alive_within_(alive_within) {}
  std::string name() const override { return "queue"; }
  bool critical() const override { return false; }
  health::CheckResult check() override;

 private:
  JobQueue& queue_;
  Millis alive_within_;
};

}  // namespace herald::jobs
