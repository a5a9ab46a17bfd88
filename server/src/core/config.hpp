// The one typed configuration: defaults, then herald.toml, then the
// environment (which wins). Every value is validated at start-up; a bad one
// throws ConfigError naming the variable (the CLI exits 2).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace herald {

struct RateSpec {
  std::int64_t count = 0;
  std::chrono::seconds window{60};
};

struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  std::string to_string() const;
};

enum class LogFormat { Auto, Text, Json };

// A Sentry DSN, {http|https}://KEY[:SECRET]@HOST[:PORT][/PATH]/PROJECT_ID.
struct SentryDsn {
  std::string scheme;      // "http" or "https"
  std::string public_key;  // sentry_key in the auth header
  std::string host;        // as written; an IPv6 address keeps its brackets
  std::optional<std::uint16_t> port;
  std::string path;        // prefix before the project id: "" or "/sentry"
  std::string project_id;  // digits

  // The DSN without the deprecated secret key: what an envelope header carries.
  std::string public_dsn() const;
  // {scheme}://{host}[:{port}]{path}/api/{project_id}/envelope/
  std::string envelope_url() const;
};

struct Config {
  ListenAddress listen;
  std::filesystem::path data_dir = "./herald-data";
  std::string database_url;  // sqlite://<data_dir>/herald.db unless set
  std::optional<std::string> redis_url;
  std::optional<std::string> smtp_url;
  int smtp_pool = 4;
  double send_rate = 0;  // messages per second, 0 = unlimited
  // A temporary failure (4xx, dropped connection) is retried after base·2^(attempt-1), ±20 %, at most 4 h,
  // until a recipient has had `send_attempts` attempts.
  std::chrono::milliseconds send_retry_base{60000};
  int send_attempts = 6;
  std::string public_url;  // http://<listen> unless set
  std::optional<std::string> jwt_secret;
  std::optional<std::string> admin_email;
  std::optional<std::string> admin_password;
  std::vector<std::string> cors_origins;
  std::vector<std::string> trusted_hosts{"localhost", "127.0.0.1", "[::1]"};
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-* headers are believed
  RateSpec rate_limit{600, std::chrono::seconds(60)};
  RateSpec login_rate_limit{10, std::chrono::seconds(60)};
  RateSpec public_rate_limit{6000, std::chrono::seconds(60)};  // links in mail: tracking, unsubscribe
  std::uint64_t max_body = 1ull << 20;
  std::uint64_t max_import = 1ull << 30;
  std::optional<std::string> dkim_domain;
  std::optional<std::string> dkim_selector;
  std::optional<std::filesystem::path> dkim_key_file;
  std::optional<SentryDsn> sentry_dsn;  // unset: errors are not reported
  std::string sentry_environment = "production";
  std::string sentry_release;       // herald@<version> unless set
  double sentry_sample_rate = 1.0;  // share of error events sent, 0..1
  std::string sentry_server_name;   // the host name unless set
  // GET /metrics: a bearer token it requires, and/or a listen address of its
  // own (then it is not served on HERALD_LISTEN). Neither: served openly.
  std::optional<std::string> metrics_token;
  std::optional<ListenAddress> metrics_listen;
  std::optional<std::string> ai_base_url;
  std::optional<std::string> ai_api_key;
  std::optional<std::string> ai_model;
  LogFormat log_format = LogFormat::Auto;
  int http_threads = 0;                                     // 0 = one per core
  int handler_threads = 16;                                 // for routes that wait (Runs::Pool)
  std::optional<std::filesystem::path> web_dir;             // built UI; searched for when unset
  int worker_concurrency = 4;                               // jobs run at once by one worker process
  std::chrono::milliseconds job_visibility_timeout{30000};  // an unacknowledged claim is handed on after this
  std::uint64_t page_cache = 64ull << 20;                   // rendered lead list pages, per process; 0 = off
  int analytics_retention_days = 365;                       // raw events kept this long; 0 = kept for good

  bool uses_postgres() const;
};

// Reads a variable; returns nullopt when unset. Injected so tests need no real environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;
EnvLookup process_env();

// Loads and validates. `file` is the --config argument (may be empty).
Config load_config(const std::optional<std::filesystem::path>& file, const EnvLookup& env);

// Every setting's environment name (HERALD_...); its herald.toml key is the
// same name, lower-case, without "HERALD_".
std::span<const std::string_view> setting_names();

// Parsers, exposed for tests. Each throws ConfigError(variable, reason).
std::uint64_t parse_size(std::string_view variable, std::string_view text);
RateSpec parse_rate(std::string_view variable, std::string_view text);
ListenAddress parse_listen(std::string_view variable, std::string_view text);
SentryDsn parse_sentry_dsn(std::string_view variable, std::string_view text);
// "30s", "500ms", "2m", "1h" or a bare number of seconds, within [min, max].
std::chrono::milliseconds parse_duration(std::string_view variable, std::string_view text,
                                         std::chrono::milliseconds min, std::chrono::milliseconds max);

}  // namespace herald
