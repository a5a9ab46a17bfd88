// The workers' attempt observer: job metrics per queue (processed, retried,
// failed, duration) and one Sentry event, tagged with the queue, job name,
// id and attempt, for each attempt that threw.
#pragma once

#include <array>

#include "jobs/types.hpp"
#include "jobs/worker.hpp"
#include "observability/metrics.hpp"
#include "observability/sentry.hpp"

namespace herald::observability {

class JobMonitor final : public jobs::AttemptObserver {
 public:
  // Both must outlive the monitor.
  JobMonitor(Metrics& metrics, Reporter& reporter);

  bool wants_breadcrumbs() const noexcept override { return reporter_.enabled(); }
  void attempted(const jobs::Job& job, const jobs::AttemptReport& report) noexcept override;

  // What an error report says about a job attempt (exposed for tests).
  static EventContext context_of(const jobs::Job& job, const jobs::AttemptReport& report);

 private:
  QueueMetrics& queue(const std::string& name);

  Metrics& metrics_;
  Reporter& reporter_;
  std::array<QueueMetrics*, jobs::kQueues.size()> queues_{};  // resolved once
};

}  // namespace herald::observability
