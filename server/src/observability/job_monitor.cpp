#include "observability/job_monitor.hpp"

namespace herald::observability {

JobMonitor::JobMonitor(Metrics& metrics, Reporter& reporter) : metrics_(metrics), reporter_(reporter) {
  for (std::size_t i = 0; i < jobs::kQueues.size(); ++i) queues_[i] = &metrics_.queue(jobs::kQueues[i]);
}

QueueMetrics& JobMonitor::queue(const std::string& name) {
  for (std::size_t i = 0; i < jobs::kQueues.size(); ++i) {
    if (jobs::kQueues[i] == name) return *queues_[i];
  }
  return metrics_.queue(name);
}

EventContext JobMonitor::context_of(const jobs::Job& job, const jobs::AttemptReport& report) {
  EventContext c;
  c.logger = "herald.jobs";
  c.queue = job.queue;
  c.job_name = job.name;
  c.job_id = job.id;
  c.attempt = job.attempts;
  c.tags.emplace_back("outcome", report.outcome == jobs::AttemptOutcome::Retrying ? "retrying" : "failed");
  if (report.breadcrumbs != nullptr) c.breadcrumbs = report.breadcrumbs->entries();
  return c;
}

void JobMonitor::attempted(const jobs::Job& job, const jobs::AttemptReport& report) noexcept {
  try {
    switch (report.outcome) {
      case jobs::AttemptOutcome::Completed:
        queue(job.queue).finished(JobOutcome::Completed, report.duration);
        return;
      case jobs::AttemptOutcome::Retrying:
        queue(job.queue).finished(JobOutcome::Retrying, report.duration);
        break;
      case jobs::AttemptOutcome::Failed:
        queue(job.queue).finished(JobOutcome::Failed, report.duration);
        break;
      case jobs::AttemptOutcome::Cancelled:
      case jobs::AttemptOutcome::Released:
        return;  // neither a success nor an error
    }
    if (report.error != nullptr && reporter_.enabled())
      reporter_.capture_exception(*report.error, context_of(job, report));
  } catch (...) {
    // Metrics and reports never fail a job.
  }
}

}  // namespace herald::observability
