#include "core/config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "core/errors.hpp"
#include "support/test_server.hpp"

namespace herald {
namespace {

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::string error_variable(std::map<std::string, std::string> values) {
  try {
    load_config(std::nullopt, env_of(std::move(values)));
  } catch (const ConfigError& e) {
    return e.variable();
  }
  return "";
}

TEST(Config, DefaultsWorkWithNothingSet) {
  Config c = load_config(std::nullopt, env_of({}));
  EXPECT_EQ(c.listen.to_string(), "127.0.0.1:8000");
  EXPECT_EQ(c.database_url, "sqlite://./herald-data/herald.db");
  EXPECT_EQ(c.public_url, "http://127.0.0.1:8000");
  EXPECT_EQ(c.rate_limit.count, 600);
  EXPECT_EQ(c.rate_limit.window.count(), 60);
  EXPECT_EQ(c.login_rate_limit.count, 10);
  EXPECT_EQ(c.max_body, 1u << 20);
  EXPECT_EQ(c.max_import, 1u << 30);
  EXPECT_EQ(c.trusted_hosts, (std::vector<std::string>{"localhost", "127.0.0.1", "[::1]"}));
  EXPECT_GE(c.http_threads, 1);
}

TEST(Config, EnvironmentValuesAreParsed) {
  Config c = load_config(std::nullopt, env_of({{"HERALD_LISTEN", "[::1]:9000"},
                                               {"HERALD_RATE_LIMIT", "20/s"},
                                               {"HERALD_MAX_BODY", "512KiB"},
                                               {"HERALD_CORS_ORIGINS", "https://a.example, https://b.example"},
                                               {"HERALD_DATA_DIR", "/tmp/h"}}));
  EXPECT_EQ(c.listen.host, "::1");
  EXPECT_EQ(c.listen.port, 9000);
  EXPECT_EQ(c.rate_limit.count, 20);
  EXPECT_EQ(c.rate_limit.window.count(), 1);
  EXPECT_EQ(c.max_body, 512u * 1024);
  EXPECT_EQ(c.cors_origins.size(), 2u);
  EXPECT_EQ(c.database_url, "sqlite:///tmp/h/herald.db");
}

TEST(Config, PublicLinksHaveTheirOwnRateLimit) {
  auto defaults = load_config(std::nullopt, env_of({}));
  EXPECT_EQ(defaults.public_rate_limit.count, 6000);
  EXPECT_EQ(defaults.public_rate_limit.window.count(), 60);
  auto set = load_config(std::nullopt, env_of({{"HERALD_PUBLIC_RATE_LIMIT", "100/s"}}));
  EXPECT_EQ(set.public_rate_limit.count, 100);
  EXPECT_EQ(set.public_rate_limit.window.count(), 1);
  EXPECT_EQ(error_variable({{"HERALD_PUBLIC_RATE_LIMIT", "many"}}), "HERALD_PUBLIC_RATE_LIMIT");
  EXPECT_EQ(error_variable({{"HERALD_PUBLIC_RATE_LIMIT", "0/min"}}), "HERALD_PUBLIC_RATE_LIMIT");
}

TEST(Config, HandlerThreadsForRoutesThatWait) {
  EXPECT_EQ(load_config(std::nullopt, env_of({})).handler_threads, 16);
  EXPECT_EQ(load_config(std::nullopt, env_of({{"HERALD_HANDLER_THREADS", "64"}})).handler_threads, 64);
  EXPECT_EQ(error_variable({{"HERALD_HANDLER_THREADS", "0"}}), "HERALD_HANDLER_THREADS");
  EXPECT_EQ(error_variable({{"HERALD_HANDLER_THREADS", "lots"}}), "HERALD_HANDLER_THREADS");
}

TEST(Config, MetricsTokenAndListenAddress) {
  Config none = load_config(std::nullopt, env_of({}));
  EXPECT_FALSE(none.metrics_token);
  EXPECT_FALSE(none.metrics_listen);
  Config c = load_config(
      std::nullopt, env_of({{"HERALD_METRICS_TOKEN", "0123456789abcdef"}, {"HERALD_METRICS_LISTEN", "0.0.0.0:9464"}}));
  EXPECT_EQ(c.metrics_token, "0123456789abcdef");
  ASSERT_TRUE(c.metrics_listen);
  EXPECT_EQ(c.metrics_listen->to_string(), "0.0.0.0:9464");
  for (const char* bad : {"short", "has a space in it!!", "tab\tin\tthe\ttoken!"})
    EXPECT_EQ(error_variable({{"HERALD_METRICS_TOKEN", bad}}), "HERALD_METRICS_TOKEN") << bad;
  EXPECT_EQ(error_variable({{"HERALD_METRICS_TOKEN", std::string(257, 'x')}}), "HERALD_METRICS_TOKEN");
  EXPECT_EQ(error_variable({{"HERALD_METRICS_LISTEN", "nowhere"}}), "HERALD_METRICS_LISTEN");
  EXPECT_EQ(error_variable({{"HERALD_METRICS_LISTEN", "127.0.0.1:70000"}}), "HERALD_METRICS_LISTEN");
  // Not the API's own address.
  EXPECT_EQ(error_variable({{"HERALD_LISTEN", "127.0.0.1:8000"}, {"HERALD_METRICS_LISTEN", "127.0.0.1:8000"}}),
            "HERALD_METRICS_LISTEN");
}

TEST(Config, PageCacheSizeOrOff) {
  EXPECT_EQ(load_config(std::nullopt, env_of({})).page_cache, 64u << 20);
  EXPECT_EQ(load_config(std::nullopt, env_of({{"HERALD_PAGE_CACHE", "16MiB"}})).page_cache, 16u << 20);
  EXPECT_EQ(load_config(std::nullopt, env_of({{"HERALD_PAGE_CACHE", "0"}})).page_cache, 0u);
  EXPECT_EQ(error_variable({{"HERALD_PAGE_CACHE", "lots"}}), "HERALD_PAGE_CACHE");
}

TEST(Config, AnalyticsRetentionDaysOrZeroToKeep) {
  EXPECT_EQ(load_config(std::nullopt, env_of({})).analytics_retention_days, 365);
  EXPECT_EQ(load_config(std::nullopt, env_of({{"HERALD_ANALYTICS_RETENTION_DAYS", "90"}})).analytics_retention_days,
            90);
  EXPECT_EQ(load_config(std::nullopt, env_of({{"HERALD_ANALYTICS_RETENTION_DAYS", "0"}})).analytics_retention_days, 0);
  EXPECT_EQ(error_variable({{"HERALD_ANALYTICS_RETENTION_DAYS", "-1"}}), "HERALD_ANALYTICS_RETENTION_DAYS");
  EXPECT_EQ(error_variable({{"HERALD_ANALYTICS_RETENTION_DAYS", "a year"}}), "HERALD_ANALYTICS_RETENTION_DAYS");
}

TEST(Config, BadValuesNameTheVariable) {
  EXPECT_EQ(error_variable({{"HERALD_LISTEN", "nope"}}), "HERALD_LISTEN");
  EXPECT_EQ(error_variable({{"HERALD_LISTEN", "127.0.0.1:99999"}}), "HERALD_LISTEN");
  EXPECT_EQ(error_variable({{"HERALD_RATE_LIMIT", "lots"}}), "HERALD_RATE_LIMIT");
  EXPECT_EQ(error_variable({{"HERALD_RATE_LIMIT", "10/fortnight"}}), "HERALD_RATE_LIMIT");
  EXPECT_EQ(error_variable({{"HERALD_MAX_BODY", "12 parsecs"}}), "HERALD_MAX_BODY");
  EXPECT_EQ(error_variable({{"HERALD_DATABASE_URL", "mysql://x"}}), "HERALD_DATABASE_URL");
  EXPECT_EQ(error_variable({{"HERALD_REDIS_URL", "http://x"}}), "HERALD_REDIS_URL");
  EXPECT_EQ(error_variable({{"HERALD_JWT_SECRET", "short"}}), "HERALD_JWT_SECRET");
  EXPECT_EQ(error_variable({{"HERALD_DATABASE_URL", "postgresql://u@h/db"}}), "HERALD_JWT_SECRET");
  EXPECT_EQ(error_variable({{"HERALD_SMTP_POOL", "0"}}), "HERALD_SMTP_POOL");
  EXPECT_EQ(error_variable({{"HERALD_LOG_FORMAT", "xml"}}), "HERALD_LOG_FORMAT");
  EXPECT_EQ(error_variable({{"HERALD_CORS_ORIGINS", "app.example.com"}}), "HERALD_CORS_ORIGINS");
  EXPECT_EQ(error_variable({{"HERALD_DKIM_DOMAIN", "example.com"}}), "HERALD_DKIM_KEY_FILE");
}

TEST(Config, TomlFileIsReadAndEnvironmentWins) {
  test::TempDir dir;
  auto file = dir.path() / "herald.toml";
  std::ofstream(file) << "listen = \"0.0.0.0:7000\"\nrate_limit = \"100/min\"\n"
                         "trusted_hosts = [\"herald.example.com\", \"localhost\"]\nsmtp_pool = 8\n";
  Config c = load_config(file, env_of({{"HERALD_RATE_LIMIT", "50/min"}}));
  EXPECT_EQ(c.listen.port, 7000);
  EXPECT_EQ(c.rate_limit.count, 50);
  EXPECT_EQ(c.smtp_pool, 8);
  EXPECT_EQ(c.trusted_hosts.front(), "herald.example.com");

  std::ofstream(file) << "no_such_setting = 1\n";
  try {
    load_config(file, env_of({}));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.variable(), "no_such_setting");
  }
  std::ofstream(file) << "listen = \n";
  EXPECT_THROW(load_config(file, env_of({})), ConfigError);
  EXPECT_THROW(load_config(dir.path() / "missing.toml", env_of({})), ConfigError);
}

TEST(Config, Parsers) {
  EXPECT_EQ(parse_size("X", "1MiB"), 1u << 20);
  EXPECT_EQ(parse_size("X", "1GiB"), 1u << 30);
  EXPECT_EQ(parse_size("X", "100"), 100u);
  EXPECT_EQ(parse_size("X", "2 kb"), 2000u);
  EXPECT_EQ(parse_rate("X", "10/min").count, 10);
  EXPECT_EQ(parse_rate("X", "1/hour").window.count(), 3600);
  EXPECT_EQ(parse_listen("X", "localhost:80").host, "localhost");
}

TEST(Config, SentryDsnIsParsedIntoItsParts) {
  const SentryDsn d = parse_sentry_dsn("X", "https://abc123@o1.ingest.sentry.io/4505");
  EXPECT_EQ(d.scheme, "https");
  EXPECT_EQ(d.public_key, "abc123");
  EXPECT_EQ(d.host, "o1.ingest.sentry.io");
  EXPECT_FALSE(d.port);
  EXPECT_EQ(d.path, "");
  EXPECT_EQ(d.project_id, "4505");
  EXPECT_EQ(d.envelope_url(), "https://o1.ingest.sentry.io/api/4505/envelope/");
  EXPECT_EQ(d.public_dsn(), "https://abc123@o1.ingest.sentry.io/4505");
}

TEST(Config, SentryDsnWithPortPathPrefixAndSecretKey) {
  // Self-hosted Sentry behind a path, GlitchTip on a port, the deprecated secret key dropped.
  const SentryDsn d = parse_sentry_dsn("X", "http://pub:secret@glitchtip.local:8000/sentry/7/");
  EXPECT_EQ(d.scheme, "http");
  EXPECT_EQ(d.public_key, "pub");
  EXPECT_EQ(d.host, "glitchtip.local");
  EXPECT_EQ(d.port, 8000);
  EXPECT_EQ(d.path, "/sentry");
  EXPECT_EQ(d.project_id, "7");
  EXPECT_EQ(d.envelope_url(), "http://glitchtip.local:8000/sentry/api/7/envelope/");
  EXPECT_EQ(d.public_dsn(), "http://pub@glitchtip.local:8000/sentry/7");

  const SentryDsn v6 = parse_sentry_dsn("X", "http://k@[::1]:9000/1");
  EXPECT_EQ(v6.host, "[::1]");
  EXPECT_EQ(v6.port, 9000);
  EXPECT_EQ(v6.envelope_url(), "http://[::1]:9000/api/1/envelope/");
}

TEST(Config, BadSentryDsnsNameTheVariable) {
  for (const char* bad : {"ftp://k@h/1", "https://h/1", "https://@h/1", "https://k@h", "https://k@h/", "https://k@/1",
                          "https://k@h/abc", "https://k@h:0/1", "https://k@h:99999/1", "https://k@h:/1",
                          "https://k@h/1?x=1", "https://k@[::1/1", "https://k!@h/1", "https://k@h 2/1"}) {
    EXPECT_EQ(error_variable({{"HERALD_SENTRY_DSN", bad}}), "HERALD_SENTRY_DSN") << bad;
  }
}

TEST(Config, SentrySettingsHaveDefaultsAndAreChecked) {
  const Config defaults = load_config(std::nullopt, env_of({}));
  EXPECT_FALSE(defaults.sentry_dsn);
  EXPECT_EQ(defaults.sentry_environment, "production");
  EXPECT_EQ(defaults.sentry_release, std::string("herald@") + HERALD_VERSION);
  EXPECT_EQ(defaults.sentry_sample_rate, 1.0);
  EXPECT_EQ(defaults.sentry_server_name, "");

  const Config c = load_config(std::nullopt, env_of({{"HERALD_SENTRY_DSN", "https://k@sentry.example.com/3"},
                                                     {"HERALD_SENTRY_ENVIRONMENT", "staging"},
                                                     {"HERALD_SENTRY_RELEASE", "herald@1.2.3+abc"},
                                                     {"HERALD_SENTRY_SAMPLE_RATE", "0.25"},
                                                     {"HERALD_SENTRY_SERVER_NAME", "api-1"}}));
  ASSERT_TRUE(c.sentry_dsn);
  EXPECT_EQ(c.sentry_dsn->project_id, "3");
  EXPECT_EQ(c.sentry_environment, "staging");
  EXPECT_EQ(c.sentry_release, "herald@1.2.3+abc");
  EXPECT_EQ(c.sentry_sample_rate, 0.25);
  EXPECT_EQ(c.sentry_server_name, "api-1");
  EXPECT_EQ(load_config(std::nullopt, env_of({{"HERALD_SENTRY_SAMPLE_RATE", "0"}})).sentry_sample_rate, 0.0);

  for (const char* rate : {"", "1.5", "-0.1", "half", "nan", "0.5x"}) {
    EXPECT_EQ(error_variable({{"HERALD_SENTRY_SAMPLE_RATE", rate}}), "HERALD_SENTRY_SAMPLE_RATE") << rate;
  }
  for (const char* name : {"", "pro duction", "a/b", "..", "line\nbreak", "tab\tbed"}) {
    EXPECT_EQ(error_variable({{"HERALD_SENTRY_ENVIRONMENT", name}}), "HERALD_SENTRY_ENVIRONMENT") << name;
    EXPECT_EQ(error_variable({{"HERALD_SENTRY_RELEASE", name}}), "HERALD_SENTRY_RELEASE") << name;
  }
  EXPECT_EQ(error_variable({{"HERALD_SENTRY_ENVIRONMENT", std::string(65, 'e')}}), "HERALD_SENTRY_ENVIRONMENT");
  EXPECT_EQ(error_variable({{"HERALD_SENTRY_RELEASE", std::string(201, 'r')}}), "HERALD_SENTRY_RELEASE");
  EXPECT_EQ(error_variable({{"HERALD_SENTRY_SERVER_NAME", "a b"}}), "HERALD_SENTRY_SERVER_NAME");
}

}  // namespace
}  // namespace herald
