// A running Herald process: the composition (the platform and every domain
// module, app/composition.hpp) plus what serves it — the route table mounted
// on the router, the middleware chain and the HTTP server, and the job
// workers. `herald serve`, `herald worker` and the integration tests start
// Herald through it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "core/config.hpp"

namespace herald::storage {
class Database;
}
namespace herald::http {
class Router;
class Pipeline;
class Authorizer;
}  // namespace herald::http
namespace herald::jobs {
class JobQueue;
class HandlerRegistry;
class ReconcilerRegistry;
struct WorkerOptions;
}  // namespace herald::jobs

namespace herald::app {

struct AppOptions {
  bool http = true;     // false: background workers only, no listener (herald worker)
  bool workers = true;  // in-process background workers (serve --no-workers turns them off)
  // Queues and concurrency of the workers; from the Config when unset.
  std::shared_ptr<const jobs::WorkerOptions> worker_options;
  bool access_log = true;  // one log line per request
  // Registers further routes after the built-in table (embedding and tests).
  std::function<void(http::Router&)> extra_routes;
  // Registers further job handlers before the workers start (embedding and tests).
  std::function<void(jobs::HandlerRegistry&)> extra_jobs;
  // Registers further domains with the job reconciler (embedding and tests).
  std::function<void(jobs::ReconcilerRegistry&)> extra_reconcilers;
  // false: the pipeline gets no request monitor (no request metrics, no error
  // reports from requests) — only for bench/metrics.sh, which measures what it costs.
  bool request_monitor = true;
};

class Composition;

class App {
 public:
  App(Config config, AppOptions options = {});
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Builds the composition (database, migrations, modules), starts the
  // workers and (unless options.http is false) listens. Returns the bound
  // port (useful with port 0), or 0 without a listener.
  std::uint16_t start();
  // SIGINT/SIGTERM begin a graceful stop (HTTP processes). Called before
  // start(), the signals are handled from before the first request is answered.
  void stop_on_signals();
  // Graceful stop: the listener first, then the workers (from any thread).
  void stop();
  // Blocks until the listener has stopped, then stops the workers: in-flight
  // jobs finish or go back to the queue.
  void wait();

  const Config& config() const noexcept;
  // The bound port of HERALD_METRICS_LISTEN's listener; 0 without one.
  std::uint16_t metrics_port() const noexcept;
  Composition& composition();
  storage::Database& database();
  const http::Router& router() const;
  http::Pipeline& pipeline();
  jobs::JobQueue& job_queue();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace herald::app
