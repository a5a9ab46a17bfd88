#include "app/app.hpp"

#include "api/routes.hpp"
#include "app/composition.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "jobs/module.hpp"
#include "jobs/runtime.hpp"
#include "jobs/worker.hpp"
#include "observability/module.hpp"

namespace herald::app {

struct App::Impl {
  Impl(Config c, AppOptions o) : config(std::move(c)), options(std::move(o)) {}

  Config config;
  AppOptions options;
  std::unique_ptr<Composition> composition;
  std::unique_ptr<jobs::WorkerRuntime> workers;  // the pool and the reconciler
  http::Router router;
  std::unique_ptr<http::StaticFiles> static_files;
  std::unique_ptr<http::Pipeline> pipeline;
  std::unique_ptr<http::Server> server;
  // HERALD_METRICS_LISTEN: GET /metrics on an address of its own (serve and worker).
  struct MetricsListener {
    http::Router router;
    std::unique_ptr<http::InProcessRateLimiter> limiter;
    std::unique_ptr<http::StaticFiles> no_files;
    std::unique_ptr<http::Pipeline> pipeline;
    std::unique_ptr<http::Server> server;
    std::uint16_t port = 0;
  };
  std::unique_ptr<MetricsListener> metrics;
  bool stop_on_signals = false;

  jobs::WorkerOptions worker_options() const;
  std::size_t db_connections() const;
  void build_workers();
  void build_http();
  void start_metrics_listener();
  void stop_workers();
};

jobs::WorkerOptions App::Impl::worker_options() const {
  return options.worker_options ? *options.worker_options : jobs::worker_options(config);
}

// Every thread that may hold a connection at once, and a few spare.
std::size_t App::Impl::db_connections() const {
  int threads = (options.http ? config.http_threads + config.handler_threads : 0) +
                (options.workers ? worker_options().concurrency : 0);
  return static_cast<std::size_t>(threads) + 4;
}

void App::Impl::build_workers() {
  auto& contributions = composition->contributions();
  if (options.extra_jobs) options.extra_jobs(contributions.jobs());
  if (options.extra_reconcilers) options.extra_reconcilers(contributions.reconcilers());
  if (!options.workers) return;
  workers = std::make_unique<jobs::WorkerRuntime>(
      composition->database(), composition->module<jobs::Module>().queue(), contributions.jobs(),
      contributions.reconcilers(), composition->clock(), worker_options(), contributions.job_observers());
}

void App::Impl::build_http() {
  auto& contributions = composition->contributions();
  api::mount(router, contributions.endpoints(), HERALD_VERSION);
  if (options.extra_routes) options.extra_routes(router);

  static_files = std::make_unique<http::StaticFiles>(http::StaticFiles::locate(config.web_dir));
  auto settings = http::PipelineSettings::from(config);
  settings.access_log = options.access_log;
  pipeline = std::make_unique<http::Pipeline>(settings, router, composition->limiter(), *static_files);
  pipeline->set_authorizer(contributions.authorizer());
  for (auto* observer : contributions.observers()) pipeline->add_observer(observer);
  // After every route (extra ones included) is on the router: handles are per route.
  if (options.request_monitor) pipeline->set_monitor(contributions.request_monitor());

  http::ServerOptions server_options;
  server_options.host = config.listen.host;
  server_options.port = config.listen.port;
  server_options.threads = config.http_threads;
  server_options.handler_threads = static_cast<std::size_t>(config.handler_threads);
  server_options.handler_queue = 4 * server_options.handler_threads;
  server = std::make_unique<http::Server>(server_options, *pipeline);
}

void App::Impl::start_metrics_listener() {
  if (!config.metrics_listen) return;
  auto& observability = composition->module<observability::Module>();
  metrics = std::make_unique<MetricsListener>();
  metrics->router
      .add(
          http::Method::Get, "/metrics", [&observability](http::Request& req) { return observability.scrape(req); },
          http::Access::public_route())
      .rate = http::RateClass::None;
  metrics->limiter = std::make_unique<http::InProcessRateLimiter>(composition->clock());
  metrics->no_files = std::make_unique<http::StaticFiles>(std::nullopt);
  http::PipelineSettings settings;
  settings.trusted_hosts = {"*"};  // scraped by address; only /metrics is here
  settings.access_log = false;
  metrics->pipeline =
      std::make_unique<http::Pipeline>(settings, metrics->router, *metrics->limiter, *metrics->no_files);
  http::ServerOptions server_options;
  server_options.host = config.metrics_listen->host;
  server_options.port = config.metrics_listen->port;
  server_options.threads = 1;
  metrics->server = std::make_unique<http::Server>(server_options, *metrics->pipeline);
  metrics->port = metrics->server->start();
  log::info("metrics listening", {{"address", config.metrics_listen->host + ":" + std::to_string(metrics->port)}});
}

void App::Impl::stop_workers() {
  if (workers) workers->stop();
}

App::App(Config config, AppOptions options) : impl_(std::make_unique<Impl>(std::move(config), std::move(options))) {}

App::~App() {
  if (impl_->server) {
    impl_->server->stop();
    impl_->server->wait();
  }
  impl_->stop_workers();
  if (impl_->metrics) {
    impl_->metrics->server->stop();
    impl_->metrics->server->wait();
  }
}

std::uint16_t App::start() {
  crypto::init();
  auto& i = *impl_;
  i.composition = std::make_unique<Composition>(i.config, CompositionOptions{.first_admin = i.options.http,
                                                                             .db_connections = i.db_connections(),
                                                                             .serves_http = i.options.http});
  i.build_workers();
  std::uint16_t port = 0;
  if (i.options.http) {
    i.build_http();
    if (i.stop_on_signals) i.server->stop_on_signals();
    port = i.server->start();
  }
  if (i.workers) i.workers->start();
  i.composition->start_tasks();
  i.start_metrics_listener();
  if (i.server) {
    log::info("listening", {{"address", i.config.listen.host + ":" + std::to_string(port)},
                            {"threads", i.config.http_threads},
                            {"workers", i.workers != nullptr},
                            {"ui", i.static_files->has_ui()}});
  } else {
    log::info("workers started", {{"workers", i.workers != nullptr}});
  }
  return port;
}

void App::stop_on_signals() {
  if (impl_->server) {
    impl_->server->stop_on_signals();
  } else {
    impl_->stop_on_signals = true;
  }
}

void App::stop() {
  if (impl_->server) impl_->server->stop();
}

void App::wait() {
  if (impl_->server) impl_->server->wait();
  // In-flight jobs finish (or go back to the queue) before the process exits.
  impl_->stop_workers();
  if (impl_->composition) impl_->composition->stop_tasks();
}

const Config& App::config() const noexcept { return impl_->config; }
std::uint16_t App::metrics_port() const noexcept { return impl_->metrics ? impl_->metrics->port : 0; }
Composition& App::composition() { return *impl_->composition; }
storage::Database& App::database() { return impl_->composition->database(); }
const http::Router& App::router() const { return impl_->router; }
http::Pipeline& App::pipeline() { return *impl_->pipeline; }
jobs::JobQueue& App::job_queue() { return impl_->composition->module<jobs::Module>().queue(); }

}  // namespace herald::app
