// What a domain plugs into. Each domain folder has one module.hpp: a
// `Deps` struct naming what it needs (the database, the clock, the config,
// other domains' interfaces) and a `Module` built from it, which
//   - contributes its HTTP handlers (named for the route table), job
//     handlers and reconcilers, health checks, background tasks, request
//     hooks, job attempt observers and campaign send observers, and
//   - offers later modules its interface (`<domain>/interface.hpp`).
// app/modules.cpp builds the modules in order and hands each one its Deps:
// `herald serve`, `herald worker` and the CLI commands all compose the same
// way. See docs/architecture.md, "Adding a domain".
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "http/endpoints.hpp"
#include "jobs/reconciler.hpp"
#include "jobs/worker.hpp"

namespace herald::health {
class HealthCheck;
}
namespace herald::http {
class Authorizer;
class ResponseObserver;
class RequestMonitor;
}  // namespace herald::http
namespace herald::mail {
class SendObserver;
}

namespace herald {

// Work a module does in the background while the process runs (`serve` and
// `worker`; never in the one-shot CLI commands): a reconciler, a sampler, a
// sweeper. Started after every module is built, stopped before any is destroyed.
class BackgroundTask {
 public:
  virtual ~BackgroundTask() = default;
  virtual std::string_view name() const = 0;
  virtual void start() = 0;
  // Returns once the task has stopped; called from another thread.
  virtual void stop() = 0;
};

// Where modules plug in; the composition owns it and outlives every module.
class Contributions {
 public:
  // Handlers the route table names, with their OpenAPI descriptions.
  http::Endpoints& endpoints() noexcept { return endpoints_; }
  // Job handlers by job name (for every worker of this process).
  jobs::HandlerRegistry& jobs() noexcept { return jobs_; }
  // The work a domain's tables say must run, put back on the queue when the
  // queue lost it (jobs/reconciler.hpp); run by every worker process.
  jobs::ReconcilerRegistry& reconcilers() noexcept { return reconcilers_; }
  // A dependency GET /api/health/detailed checks.
  void add_health_check(std::shared_ptr<health::HealthCheck> check) { checks_.push_back(std::move(check)); }
  void add_task(BackgroundTask& task) { tasks_.push_back(&task); }
  // Who checks a route's access (exactly one module: auth).
  void set_authorizer(http::Authorizer& authorizer);
  // Sees every finished request (the audit log).
  void add_observer(http::ResponseObserver& observer) { observers_.push_back(&observer); }
  // Watches every request for metrics and error reports (exactly one module: observability).
  void set_request_monitor(http::RequestMonitor& monitor);
  // Sees every job attempt of this process's workers (job metrics, error reports).
  void add_job_observer(jobs::AttemptObserver& observer) { job_observers_.push_back(&observer); }
  // Told how every campaign message of this process ended (mail metrics).
  // A module built earlier may hold send_observers() and read it once the
  // composition is complete (the workers start after every module is built).
  void add_send_observer(mail::SendObserver& observer) { send_observers_.push_back(&observer); }

  const std::vector<std::shared_ptr<health::HealthCheck>>& health_checks() const noexcept { return checks_; }
  const std::vector<BackgroundTask*>& tasks() const noexcept { return tasks_; }
  http::Authorizer* authorizer() const noexcept { return authorizer_; }
  const std::vector<http::ResponseObserver*>& observers() const noexcept { return observers_; }
  http::RequestMonitor* request_monitor() const noexcept { return monitor_; }
  const std::vector<jobs::AttemptObserver*>& job_observers() const noexcept { return job_observers_; }
  const std::vector<mail::SendObserver*>& send_observers() const noexcept { return send_observers_; }

 private:
  http::Endpoints endpoints_;
  jobs::HandlerRegistry jobs_;
  jobs::ReconcilerRegistry reconcilers_;
  std::vector<std::shared_ptr<health::HealthCheck>> checks_;
  std::vector<BackgroundTask*> tasks_;
  http::Authorizer* authorizer_ = nullptr;
  std::vector<http::ResponseObserver*> observers_;
  http::RequestMonitor* monitor_ = nullptr;
  std::vector<jobs::AttemptObserver*> job_observers_;
  std::vector<mail::SendObserver*> send_observers_;
};

class Module {
 public:
  virtual ~Module() = default;
  // Called once, after the module is built.
  virtual void contribute(Contributions& contributions) = 0;
};

}  // namespace herald
