#include "app/app.hpp"

#include <filesystem>

#include "api/routes.hpp"
#include "audit/auditor.hpp"
#include "audit/log.hpp"
#include "audit/routes.hpp"
#include "auth/admin.hpp"
#include "auth/authorizer.hpp"
#include "auth/routes.hpp"
#include "auth/service.hpp"
#include "auth/users.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "health/routes.hpp"
#include "health/service.hpp"
#include "http/middleware/rate_limit.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "jobs/health.hpp"
#include "jobs/routes.hpp"
#include "jobs/runtime.hpp"
#include "leads/importer.hpp"
#include "leads/imports.hpp"
#include "leads/privacy.hpp"
#include "leads/routes.hpp"
#include "leads/runner.hpp"
#include "leads/segments.hpp"
#include "leads/service.hpp"
#include "leads/suppressions.hpp"
#include "redis/client.hpp"
#include "redis/health.hpp"
#include "redis/rate_limiter.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/query.hpp"

namespace herald::app {

struct App::Impl {
  Impl(Config c, AppOptions o) : config(std::move(c)), options(std::move(o)) {}

  Config config;
  AppOptions options;
  SystemClock clock;

  std::unique_ptr<storage::Database> db;
  std::unique_ptr<health::SystemMonitor> monitor;
  std::unique_ptr<health::HealthService> health;
  std::unique_ptr<health::Routes> health_routes;
  // Set when HERALD_REDIS_URL is: queues and rate limits then live in Redis.
  std::unique_ptr<redis::RedisClient> redis;
  std::unique_ptr<redis::RedisClient> limiter_redis;
  std::unique_ptr<http::RateLimiter> limiter;
  std::unique_ptr<audit::AuditLog> audit_log;
  std::unique_ptr<audit::RequestAuditor> auditor;
  std::unique_ptr<audit::Routes> audit_routes;
  std::unique_ptr<auth::AuthService> auth;
  std::unique_ptr<auth::AdminService> admin;
  std::unique_ptr<auth::Authorizer> authorizer;
  std::unique_ptr<auth::Routes> auth_routes;
  std::unique_ptr<auth::UserDirectory> users;
  std::unique_ptr<leads::LeadService> leads;
  std::unique_ptr<leads::SegmentService> segments;
  std::unique_ptr<leads::SuppressionService> suppressions;
  std::unique_ptr<leads::PrivacyService> privacy;
  std::unique_ptr<leads::Importer> importer;
  std::unique_ptr<leads::ImportRunner> import_runner;
  std::unique_ptr<leads::ImportService> imports;
  std::unique_ptr<leads::Routes> lead_routes;

  std::unique_ptr<jobs::JobQueue> queue;
  jobs::HandlerRegistry job_handlers;
  std::unique_ptr<jobs::WorkerPool> workers;
  std::unique_ptr<jobs::Routes> job_routes;

  http::Router router;
  std::unique_ptr<http::StaticFiles> static_files;
  std::unique_ptr<http::Pipeline> pipeline;
  std::unique_ptr<http::Server> server;

  void open_storage();
  void build_services();
  void build_http();
  void build_jobs();
  void build_leads();
  void build_workers();
  jobs::WorkerOptions worker_options() const;
  void stop_workers();
};

void App::Impl::open_storage() {
  std::filesystem::create_directories(config.data_dir);
  storage::DatabaseOptions db_options;
  // Every I/O thread and every worker may hold a connection at once.
  int concurrency = options.worker_options ? options.worker_options->concurrency : config.worker_concurrency;
  db_options.pool_size = static_cast<std::size_t>(config.http_threads + (options.workers ? concurrency : 0)) + 4;
  db = storage::open_database(config.database_url, db_options);
  auto report = storage::migrate(*db);
  storage::check_queries(db->backend());
  for (const auto& m : report.applied) log::info("migration applied", {{"version", m.version}, {"name", m.name}});
  log::info("database ready", {{"database", db->describe()}, {"schema_version", report.current_version}});
}

void App::Impl::build_services() {
  monitor = std::make_unique<health::SystemMonitor>(config.data_dir);
  health = std::make_unique<health::HealthService>(clock, *monitor, HERALD_VERSION);
  health->add_check(std::make_shared<health::DatabaseCheck>(*db));
  health_routes = std::make_unique<health::Routes>(*health);

  redis = redis::client_from_config(config);
  if (redis) {
    health->add_check(std::make_shared<redis::RedisCheck>(*redis));
    // Its own connections with short timeouts: a request never waits long on
    // a slow Redis for its token; it falls back to this process's buckets.
    redis::RedisClient::Options fast;
    fast.connect_timeout = std::chrono::milliseconds(250);
    fast.command_timeout = std::chrono::milliseconds(250);
    limiter_redis = redis::client_from_config(config, fast);
    limiter = std::make_unique<redis::RedisRateLimiter>(*limiter_redis, clock);
  } else {
    limiter = std::make_unique<http::InProcessRateLimiter>(clock);
  }
  audit_log = std::make_unique<audit::AuditLog>(*db, clock);
  auditor = std::make_unique<audit::RequestAuditor>(*audit_log);
  audit_routes = std::make_unique<audit::Routes>(*audit_log);
  auth = std::make_unique<auth::AuthService>(*db, config, clock, *limiter);
  auth->bootstrap(/*create_first_admin=*/options.http);
  admin = std::make_unique<auth::AdminService>(*auth);
  authorizer = std::make_unique<auth::Authorizer>(*auth);
  auth_routes = std::make_unique<auth::Routes>(*auth, *admin);
  build_jobs();
  build_leads();
  build_workers();
}

void App::Impl::build_jobs() {
  queue = jobs::make_queue(*db, clock, redis.get());
  health->add_check(std::make_shared<jobs::QueueCheck>(*queue, worker_options().visibility));
  job_routes = std::make_unique<jobs::Routes>(*queue);
}

void App::Impl::build_leads() {
  users = std::make_unique<auth::UserDirectory>(*db);
  leads = std::make_unique<leads::LeadService>(*db, clock, *users, static_cast<std::size_t>(config.page_cache));
  segments = std::make_unique<leads::SegmentService>(*db, clock, *leads);
  suppressions = std::make_unique<leads::SuppressionService>(*db, clock);
  privacy = std::make_unique<leads::PrivacyService>(*db, *leads, *suppressions, *audit_log);
  importer = std::make_unique<leads::Importer>(*db, *segments, *users, clock, options.importer);
  import_runner = std::make_unique<leads::QueueImportRunner>(*queue);
  imports = std::make_unique<leads::ImportService>(*db, *import_runner, clock, options.import_chunk_size);
  lead_routes = std::make_unique<leads::Routes>(*leads, *segments, *suppressions, *privacy, *imports);
}

jobs::WorkerOptions App::Impl::worker_options() const {
  return options.worker_options ? *options.worker_options : jobs::worker_options(config);
}

void App::Impl::build_workers() {
  if (!options.workers) return;
  jobs::register_builtin_jobs(job_handlers, *db, process_env());
  leads::register_import_job(job_handlers, *importer);
  if (options.extra_jobs) options.extra_jobs(job_handlers);
  workers = std::make_unique<jobs::WorkerPool>(*queue, job_handlers, worker_options());
}

void App::Impl::stop_workers() {
  if (workers) workers->stop();
}

void App::Impl::build_http() {
  api::Handlers handlers{*health_routes, *auth_routes, *audit_routes, *job_routes, *lead_routes};
  api::register_routes(router, handlers, HERALD_VERSION);
  if (options.extra_routes) options.extra_routes(router);

  static_files = std::make_unique<http::StaticFiles>(http::StaticFiles::locate(config.web_dir));
  auto settings = http::PipelineSettings::from(config);
  settings.access_log = options.access_log;
  pipeline = std::make_unique<http::Pipeline>(settings, router, *limiter, *static_files);
  pipeline->set_authorizer(authorizer.get());
  pipeline->add_observer(auditor.get());

  http::ServerOptions server_options;
  server_options.host = config.listen.host;
  server_options.port = config.listen.port;
  server_options.threads = config.http_threads;
  server = std::make_unique<http::Server>(server_options, *pipeline);
}

App::App(Config config, AppOptions options) : impl_(std::make_unique<Impl>(std::move(config), std::move(options))) {}

App::~App() {
  if (impl_->server) {
    impl_->server->stop();
    impl_->server->wait();
  }
  impl_->stop_workers();
}

std::uint16_t App::start() {
  crypto::init();
  impl_->open_storage();
  impl_->build_services();
  std::uint16_t port = 0;
  if (impl_->options.http) {
    impl_->build_http();
    port = impl_->server->start();
  }
  if (impl_->workers) impl_->workers->start();
  if (impl_->server) {
    log::info("listening", {{"address", impl_->config.listen.host + ":" + std::to_string(port)},
                            {"threads", impl_->config.http_threads},
                            {"workers", impl_->workers != nullptr},
                            {"ui", impl_->static_files->has_ui()}});
  } else {
    log::info("workers started", {{"workers", impl_->workers != nullptr}});
  }
  return port;
}

void App::stop_on_signals() {
  if (impl_->server) impl_->server->stop_on_signals();
}

void App::stop() {
  if (impl_->server) impl_->server->stop();
}

void App::wait() {
  if (impl_->server) impl_->server->wait();
  // In-flight jobs finish (or go back to the queue) before the process exits.
  impl_->stop_workers();
}

const Config& App::config() const noexcept { return impl_->config; }
storage::Database& App::database() { return *impl_->db; }
const http::Router& App::router() const { return impl_->router; }
http::Pipeline& App::pipeline() { return *impl_->pipeline; }
jobs::JobQueue& App::job_queue() { return *impl_->queue; }

}  // namespace herald::app
