#include "app/composition.hpp"

#include <chrono>
#include <filesystem>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "health/interface.hpp"
#include "http/middleware/rate_limit.hpp"
#include "mail/transport.hpp"
#include "redis/client.hpp"
#include "redis/health.hpp"
#include "redis/rate_limiter.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/query.hpp"

namespace herald::app {

Composition::Composition(Config config, CompositionOptions options) : config_(std::move(config)), options_(options) {
  open_storage();
  build_platform();
  add_modules(*this);
}

Composition::~Composition() {
  stop_tasks();
  // Later modules hold references into earlier ones.
  while (!modules_.empty()) modules_.pop_back();
}

void Composition::open_storage() {
  std::filesystem::create_directories(config_.data_dir);
  storage::DatabaseOptions db_options;
  db_options.pool_size = options_.db_connections;
  db_ = storage::open_database(config_.database_url, db_options);
  auto report = storage::migrate(*db_);
  storage::check_queries(db_->backend());
  for (const auto& m : report.applied) log::info("migration applied", {{"version", m.version}, {"name", m.name}});
  log::info("database ready", {{"database", db_->describe()}, {"schema_version", report.current_version}});
}

// How long the health report reuses the SMTP check's answer: a dashboard
// polling the report every second costs the mail server one NOOP per period.
constexpr auto kSmtpCheckTtl = std::chrono::seconds(5);

void Composition::build_platform() {
  if (config_.smtp_url) {
    auto settings = mail::parse_smtp_url(*config_.smtp_url);
    try {
      smtp_ = std::make_unique<mail::SmtpTransport>(std::move(settings), static_cast<std::size_t>(config_.smtp_pool));
    } catch (const mail::SmtpIoError& e) {  // the trust store (ca_file) cannot be read
      throw ConfigError("HERALD_SMTP_URL", e.what());
    }
    contributions_.add_health_check(health::cached(std::make_shared<mail::SmtpCheck>(smtp_->pool()), kSmtpCheckTtl));
  }
  redis_ = redis::client_from_config(config_);
  if (!redis_) {
    limiter_ = std::make_unique<http::InProcessRateLimiter>(clock_);
    return;
  }
  contributions_.add_health_check(std::make_shared<redis::RedisCheck>(*redis_));
  // Its own connections with short timeouts: a request never waits long on
  // a slow Redis for its token; it falls back to this process's buckets.
  redis::RedisClient::Options fast;
  fast.connect_timeout = std::chrono::milliseconds(250);
  fast.command_timeout = std::chrono::milliseconds(250);
  limiter_redis_ = redis::client_from_config(config_, fast);
  limiter_ = std::make_unique<redis::RedisRateLimiter>(*limiter_redis_, clock_);
}

void Composition::start_tasks() {
  for (auto* task : contributions_.tasks()) {
    task->start();
    started_.push_back(task);
  }
}

void Composition::stop_tasks() {
  while (!started_.empty()) {
    started_.back()->stop();
    started_.pop_back();
  }
}

}  // namespace herald::app
