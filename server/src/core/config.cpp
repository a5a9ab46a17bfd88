#include "core/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/errors.hpp"
#include "core/strings.hpp"

namespace herald {
namespace {

// Every setting: the environment name; the toml key is the same, lower-case, without "HERALD_".
constexpr std::string_view kKeys[] = {
    "HERALD_LISTEN",
    "HERALD_DATA_DIR",
    "HERALD_DATABASE_URL",
    "HERALD_REDIS_URL",
    "HERALD_SMTP_URL",
    "HERALD_SMTP_POOL",
    "HERALD_SEND_RATE",
    "HERALD_PUBLIC_URL",
    "HERALD_JWT_SECRET",
    "HERALD_ADMIN_EMAIL",
    "HERALD_ADMIN_PASSWORD",
    "HERALD_CORS_ORIGINS",
    "HERALD_TRUSTED_HOSTS",
    "HERALD_TRUSTED_PROXIES",
    "HERALD_RATE_LIMIT",
    "HERALD_LOGIN_RATE_LIMIT",
    "HERALD_MAX_BODY",
    "HERALD_MAX_IMPORT",
    "HERALD_DKIM_DOMAIN",
    "HERALD_DKIM_SELECTOR",
    "HERALD_DKIM_KEY_FILE",
    "HERALD_SENTRY_DSN",
    "HERALD_AI_BASE_URL",
    "HERALD_AI_API_KEY",
    "HERALD_AI_MODEL",
    "HERALD_LOG_FORMAT",
    "HERALD_HTTP_THREADS",
    "HERALD_WEB_DIR",
    "HERALD_WORKER_CONCURRENCY",
    "HERALD_JOB_VISIBILITY_TIMEOUT",
    "HERALD_PAGE_CACHE",
    "HERALD_ANALYTICS_RETENTION_DAYS",
    "HERALD_PUBLIC_RATE_LIMIT",
    "HERALD_HANDLER_THREADS",
    "HERALD_SEND_RETRY_BASE",
    "HERALD_SEND_ATTEMPTS",
    "HERALD_SENTRY_SAMPLE_RATE",
    "HERALD_SENTRY_ENVIRONMENT",
    "HERALD_SENTRY_RELEASE",
    "HERALD_SENTRY_SERVER_NAME",
    "HERALD_METRICS_TOKEN",
    "HERALD_METRICS_LISTEN",
};

std::string toml_key(std::string_view env_name) {
  std::string key(env_name.substr(7));
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  return key;
}

// Values from herald.toml, as strings (lists joined by commas), keyed by env name.
std::vector<std::pair<std::string, std::string>> read_toml(const std::filesystem::path& file) {
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw ConfigError("--config", file.string() + ": " + std::string(e.description()) + " at line " +
                                      std::to_string(e.source().begin.line));
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (auto&& [k, node] : table) {
    std::string_view key = k.str();
    auto known =
        std::find_if(std::begin(kKeys), std::end(kKeys), [&](std::string_view env) { return toml_key(env) == key; });
    if (known == std::end(kKeys)) throw ConfigError(std::string(key), "unknown setting in " + file.string());
    std::string value;
    if (auto s = node.value<std::string>()) {
      value = *s;
    } else if (auto i = node.value<std::int64_t>(); i && node.is_integer()) {
      value = std::to_string(*i);
    } else if (auto d = node.value<double>(); d && node.is_floating_point()) {
      value = std::to_string(*d);
    } else if (auto b = node.value<bool>()) {
      value = *b ? "true" : "false";
    } else if (auto* arr = node.as_array()) {
      for (auto&& item : *arr) {
        auto s = item.value<std::string>();
        if (!s) throw ConfigError(std::string(key), "list items must be strings");
        if (!value.empty()) value += ',';
        value += *s;
      }
    } else {
      throw ConfigError(std::string(key), "unsupported value type");
    }
    out.emplace_back(std::string(*known), std::move(value));
  }
  return out;
}

std::int64_t parse_int(std::string_view variable, std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size())
    throw ConfigError(std::string(variable), "'" + std::string(text) + "' is not a whole number");
  if (v < min || v > max)
    throw ConfigError(std::string(variable), "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return v;
}

std::vector<std::string> parse_list(std::string_view text) {
  std::vector<std::string> out;
  for (auto part : split(text, ',')) {
    auto t = trim(part);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

void require_scheme(std::string_view variable, const std::string& url,
                    std::initializer_list<std::string_view> schemes) {
  for (auto s : schemes) {
    if (url.starts_with(s) && url.size() > s.size()) return;
  }
  std::string expected;
  for (auto s : schemes) expected += (expected.empty() ? "" : " or ") + std::string(s) + "...";
  throw ConfigError(std::string(variable), "expected " + expected);
}

// Sentry refuses environment and release names with white space, control
// characters or slashes, and "." or ".." as a release.
const std::string& check_sentry_name(std::string_view variable, const std::string& v, std::size_t max,
                                     std::string_view what) {
  if (v.empty() || v.size() > max)
    throw ConfigError(std::string(variable), fmt::format("a {} name must be 1 to {} bytes", what, max));
  if (v == "." || v == "..") throw ConfigError(std::string(variable), "'" + v + "' is not a usable name");
  for (unsigned char ch : v) {
    if (ch <= 0x20 || ch == 0x7f || ch == '/' || ch == '\\')
      throw ConfigError(std::string(variable), "must not contain white space, control characters or slashes");
  }
  if (!valid_utf8(v)) throw ConfigError(std::string(variable), "must be UTF-8 text");
  return v;
}

void apply(Config& c, std::string_view name, const std::string& v) {
  if (name == "HERALD_LISTEN") {
    c.listen = parse_listen(name, v);
  } else if (name == "HERALD_DATA_DIR") {
    if (v.empty()) throw ConfigError(std::string(name), "must not be empty");
    c.data_dir = v;
  } else if (name == "HERALD_DATABASE_URL") {
    require_scheme(name, v, {"sqlite://", "postgresql://", "postgres://"});
    c.database_url = v;
  } else if (name == "HERALD_REDIS_URL") {
    require_scheme(name, v, {"redis://"});
    c.redis_url = v;
  } else if (name == "HERALD_SMTP_URL") {
    require_scheme(name, v, {"smtp://", "smtps://"});
    c.smtp_url = v;
  } else if (name == "HERALD_SMTP_POOL") {
    c.smtp_pool = static_cast<int>(parse_int(name, v, 1, 256));
  } else if (name == "HERALD_SEND_RATE") {
    char* end = nullptr;
    double rate = std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size() || rate < 0)
      throw ConfigError(std::string(name), "must be a number of messages per second, 0 for unlimited");
    c.send_rate = rate;
  } else if (name == "HERALD_SEND_RETRY_BASE") {
    c.send_retry_base = parse_duration(name, v, std::chrono::milliseconds(10), std::chrono::hours(24));
  } else if (name == "HERALD_SEND_ATTEMPTS") {
    c.send_attempts = static_cast<int>(parse_int(name, v, 1, 100));
  } else if (name == "HERALD_PUBLIC_URL") {
    require_scheme(name, v, {"http://", "https://"});
    c.public_url = v;
    while (c.public_url.ends_with('/')) c.public_url.pop_back();
  } else if (name == "HERALD_JWT_SECRET") {
    if (v.size() < 32) throw ConfigError(std::string(name), "must be at least 32 bytes");
    c.jwt_secret = v;
  } else if (name == "HERALD_ADMIN_EMAIL") {
    if (v.find('@') == std::string::npos) throw ConfigError(std::string(name), "is not an email address");
    c.admin_email = v;
  } else if (name == "HERALD_ADMIN_PASSWORD") {
    if (v.size() < 8) throw ConfigError(std::string(name), "must be at least 8 characters");
    c.admin_password = v;
  } else if (name == "HERALD_CORS_ORIGINS") {
    c.cors_origins = parse_list(v);
    for (const auto& o : c.cors_origins) {
      if (o != "*" && !o.starts_with("http://") && !o.starts_with("https://"))
        throw ConfigError(std::string(name), "'" + o + "' is not an origin like https://app.example.com");
    }
  } else if (name == "HERALD_TRUSTED_HOSTS") {
    c.trusted_hosts = parse_list(v);
    if (c.trusted_hosts.empty()) throw ConfigError(std::string(name), "must list at least one host, or *");
  } else if (name == "HERALD_TRUSTED_PROXIES") {
    c.trusted_proxies = parse_list(v);
  } else if (name == "HERALD_RATE_LIMIT") {
    c.rate_limit = parse_rate(name, v);
  } else if (name == "HERALD_LOGIN_RATE_LIMIT") {
    c.login_rate_limit = parse_rate(name, v);
  } else if (name == "HERALD_PUBLIC_RATE_LIMIT") {
    c.public_rate_limit = parse_rate(name, v);
  } else if (name == "HERALD_MAX_BODY") {
    c.max_body = parse_size(name, v);
  } else if (name == "HERALD_MAX_IMPORT") {
    c.max_import = parse_size(name, v);
  } else if (name == "HERALD_DKIM_DOMAIN") {
    c.dkim_domain = v;
  } else if (name == "HERALD_DKIM_SELECTOR") {
    c.dkim_selector = v;
  } else if (name == "HERALD_DKIM_KEY_FILE") {
    c.dkim_key_file = v;
  } else if (name == "HERALD_SENTRY_DSN") {
    c.sentry_dsn = parse_sentry_dsn(name, v);
  } else if (name == "HERALD_SENTRY_ENVIRONMENT") {
    c.sentry_environment = check_sentry_name(name, v, 64, "environment");
  } else if (name == "HERALD_SENTRY_RELEASE") {
    c.sentry_release = check_sentry_name(name, v, 200, "release");
  } else if (name == "HERALD_SENTRY_SAMPLE_RATE") {
    char* end = nullptr;
    double rate = std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size() || !(rate >= 0 && rate <= 1))
      throw ConfigError(std::string(name), "must be a number from 0 to 1 (the share of errors reported)");
    c.sentry_sample_rate = rate;
  } else if (name == "HERALD_SENTRY_SERVER_NAME") {
    c.sentry_server_name = check_sentry_name(name, v, 255, "server name");
  } else if (name == "HERALD_METRICS_TOKEN") {
    // Sent by Prometheus as "Authorization: Bearer <token>": visible ASCII, long enough to guess at no rate.
    const bool visible = std::all_of(v.begin(), v.end(), [](unsigned char ch) { return ch > 0x20 && ch < 0x7f; });
    if (v.size() < 16 || v.size() > 256 || !visible)
      throw ConfigError(std::string(name), "must be 16 to 256 visible ASCII characters (no spaces)");
    c.metrics_token = v;
  } else if (name == "HERALD_METRICS_LISTEN") {
    c.metrics_listen = parse_listen(name, v);
  } else if (name == "HERALD_AI_BASE_URL") {
    require_scheme(name, v, {"http://", "https://"});
    c.ai_base_url = v;
  } else if (name == "HERALD_AI_API_KEY") {
    c.ai_api_key = v;
  } else if (name == "HERALD_AI_MODEL") {
    c.ai_model = v;
  } else if (name == "HERALD_LOG_FORMAT") {
    if (v == "text")
      c.log_format = LogFormat::Text;
    else if (v == "json")
      c.log_format = LogFormat::Json;
    else
      throw ConfigError(std::string(name), "must be 'text' or 'json'");
  } else if (name == "HERALD_HTTP_THREADS") {
    c.http_threads = static_cast<int>(parse_int(name, v, 1, 256));
  } else if (name == "HERALD_HANDLER_THREADS") {
    c.handler_threads = static_cast<int>(parse_int(name, v, 1, 1024));
  } else if (name == "HERALD_WEB_DIR") {
    c.web_dir = v;
  } else if (name == "HERALD_WORKER_CONCURRENCY") {
    c.worker_concurrency = static_cast<int>(parse_int(name, v, 1, 256));
  } else if (name == "HERALD_JOB_VISIBILITY_TIMEOUT") {
    c.job_visibility_timeout = parse_duration(name, v, std::chrono::milliseconds(100), std::chrono::hours(24));
  } else if (name == "HERALD_ANALYTICS_RETENTION_DAYS") {
    c.analytics_retention_days = static_cast<int>(parse_int(name, v, 0, 36500));
  } else if (name == "HERALD_PAGE_CACHE") {
    c.page_cache = trim(v) == "0" ? 0 : parse_size(name, v);
  }
}

void finish(Config& c) {
  if (c.database_url.empty()) c.database_url = "sqlite://" + (c.data_dir / "herald.db").string();
  if (c.public_url.empty()) c.public_url = "http://" + c.listen.to_string();
  if (c.sentry_release.empty()) c.sentry_release = "herald@" HERALD_VERSION;
  if (c.http_threads == 0) c.http_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (c.uses_postgres() && !c.jwt_secret)
    throw ConfigError("HERALD_JWT_SECRET", "is required with PostgreSQL (every API process must share it)");
  int dkim = (c.dkim_domain ? 1 : 0) + (c.dkim_selector ? 1 : 0) + (c.dkim_key_file ? 1 : 0);
  if (dkim != 0 && dkim != 3)
    throw ConfigError("HERALD_DKIM_KEY_FILE", "DKIM needs HERALD_DKIM_DOMAIN, _SELECTOR and _KEY_FILE together");
  if (c.metrics_listen && c.metrics_listen->host == c.listen.host && c.metrics_listen->port == c.listen.port &&
      c.listen.port != 0)
    throw ConfigError("HERALD_METRICS_LISTEN",
                      "must differ from HERALD_LISTEN (leave it unset to serve /metrics there)");
  if (c.admin_password && !c.admin_email)
    throw ConfigError("HERALD_ADMIN_EMAIL", "is required when HERALD_ADMIN_PASSWORD is set");
}

}  // namespace

std::chrono::milliseconds parse_duration(std::string_view variable, std::string_view text,
                                         std::chrono::milliseconds min, std::chrono::milliseconds max) {
  text = trim(text);
  std::int64_t unit = 1000;  // a bare number is seconds
  std::string_view digits = text;
  if (text.ends_with("ms")) {
    unit = 1;
    digits = text.substr(0, text.size() - 2);
  } else if (text.ends_with('s')) {
    digits = text.substr(0, text.size() - 1);
  } else if (text.ends_with('m')) {
    unit = 60'000;
    digits = text.substr(0, text.size() - 1);
  } else if (text.ends_with('h')) {
    unit = 3'600'000;
    digits = text.substr(0, text.size() - 1);
  }
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  const auto ms = std::chrono::milliseconds(n * unit);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || ms < min || ms > max) {
    throw ConfigError(
        std::string(variable),
        fmt::format("must be a duration such as 30s, 500ms or 2m, from {} ms to {} ms", min.count(), max.count()));
  }
  return ms;
}

std::string ListenAddress::to_string() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool Config::uses_postgres() const {
  return database_url.starts_with("postgresql://") || database_url.starts_with("postgres://");
}

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::uint64_t parse_size(std::string_view variable, std::string_view text) {
  auto t = trim(text);
  std::size_t i = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i == 0) throw ConfigError(std::string(variable), "'" + std::string(text) + "' is not a size like 1MiB");
  std::uint64_t n = static_cast<std::uint64_t>(parse_int(variable, t.substr(0, i), 1, 1ll << 50));
  auto unit = trim(t.substr(i));
  static constexpr std::pair<std::string_view, std::uint64_t> kUnits[] = {
      {"", 1},
      {"B", 1},
      {"KB", 1000},
      {"KiB", 1024},
      {"MB", 1000000},
      {"MiB", 1ull << 20},
      {"GB", 1000000000},
      {"GiB", 1ull << 30},
  };
  for (auto [name, mult] : kUnits) {
    if (iequals_ascii(unit, name)) return n * mult;
  }
  throw ConfigError(std::string(variable), "unknown size unit '" + std::string(unit) + "' (use B, KiB, MiB, GiB)");
}

RateSpec parse_rate(std::string_view variable, std::string_view text) {
  auto t = trim(text);
  auto slash = t.find('/');
  if (slash == std::string_view::npos)
    throw ConfigError(std::string(variable), "'" + std::string(text) + "' is not a rate like 600/min");
  RateSpec r;
  r.count = parse_int(variable, trim(t.substr(0, slash)), 1, 1'000'000'000);
  auto unit = trim(t.substr(slash + 1));
  if (unit == "s" || unit == "sec" || unit == "second")
    r.window = std::chrono::seconds(1);
  else if (unit == "m" || unit == "min" || unit == "minute")
    r.window = std::chrono::seconds(60);
  else if (unit == "h" || unit == "hour")
    r.window = std::chrono::seconds(3600);
  else
    throw ConfigError(std::string(variable), "unknown rate unit '" + std::string(unit) + "' (use s, min or hour)");
  return r;
}

ListenAddress parse_listen(std::string_view variable, std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    throw ConfigError(std::string(variable), "'" + std::string(text) + "' is not HOST:PORT");
  ListenAddress a;
  std::string_view host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']') throw ConfigError(std::string(variable), "unbalanced '[' in IPv6 address");
    host = host.substr(1, host.size() - 2);
  }
  a.host = std::string(host);
  a.port = static_cast<std::uint16_t>(parse_int(variable, text.substr(colon + 1), 0, 65535));
  return a;
}

std::span<const std::string_view> setting_names() { return kKeys; }

SentryDsn parse_sentry_dsn(std::string_view variable, std::string_view text) {
  const auto fail = [&](std::string_view why) -> ConfigError {
    return ConfigError(std::string(variable), std::string(why) + " (expected https://KEY@HOST/PROJECT_ID)");
  };
  SentryDsn d;
  std::string_view rest;
  if (text.starts_with("https://")) {
    d.scheme = "https";
    rest = text.substr(8);
  } else if (text.starts_with("http://")) {
    d.scheme = "http";
    rest = text.substr(7);
  } else {
    throw fail("must start with http:// or https://");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) throw fail("must not have a query or fragment");
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) throw fail("has no project id");
  const std::string_view authority = rest.substr(0, slash);
  std::string_view path = rest.substr(slash);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) throw fail("has no public key");
  std::string_view key = authority.substr(0, at);
  key = key.substr(0, key.find(':'));  // a deprecated secret key is dropped
  if (key.empty() || !std::all_of(key.begin(), key.end(), [](unsigned char ch) { return std::isalnum(ch); }))
    throw fail("the public key must be letters and digits");
  d.public_key = std::string(key);
  std::string_view host = authority.substr(at + 1);
  std::string_view port;
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) throw fail("has an unbalanced '[' in its host");
    if (close + 1 < host.size()) {
      if (host[close + 1] != ':') throw fail("has text after its IPv6 address");
      port = host.substr(close + 2);
    }
    host = host.substr(0, close + 1);
  } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty() || host == "[]" ||
      !std::all_of(host.begin(), host.end(), [](unsigned char ch) { return ch > 0x20 && ch < 0x7f && ch != '@'; }))
    throw fail("has no usable host");
  d.host = std::string(host);
  if (port.data() != nullptr) d.port = static_cast<std::uint16_t>(parse_int(variable, port, 1, 65535));
  while (path.size() > 1 && path.ends_with('/')) path.remove_suffix(1);
  const auto last = path.rfind('/');
  const std::string_view project = path.substr(last + 1);
  if (project.empty() ||
      !std::all_of(project.begin(), project.end(), [](unsigned char ch) { return std::isdigit(ch); }))
    throw fail("must end with a numeric project id");
  d.project_id = std::string(project);
  d.path = std::string(path.substr(0, last));
  return d;
}

std::string SentryDsn::public_dsn() const {
  return scheme + "://" + public_key + "@" + host + (port ? ":" + std::to_string(*port) : "") + path + "/" + project_id;
}

std::string SentryDsn::envelope_url() const {
  return scheme + "://" + host + (port ? ":" + std::to_string(*port) : "") + path + "/api/" + project_id + "/envelope/";
}

Config load_config(const std::optional<std::filesystem::path>& file, const EnvLookup& env) {
  Config c;
  // Resolved first, since other defaults derive from them.
  std::vector<std::pair<std::string, std::string>> values;
  if (file) {
    if (!std::filesystem::exists(*file)) throw ConfigError("--config", file->string() + " does not exist");
    values = read_toml(*file);
  }
  for (auto key : kKeys) {
    if (auto v = env(key)) values.emplace_back(std::string(key), *v);  // later entries win
  }
  for (const auto& [name, value] : values) apply(c, name, value);
  finish(c);
  return c;
}

}  // namespace herald
