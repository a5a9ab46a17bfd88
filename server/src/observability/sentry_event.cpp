#include "observability/sentry_event.hpp"

#include <cxxabi.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <random>
#include <typeinfo>

#include <fmt/format.h>

#include "core/strings.hpp"
#include "core/time.hpp"

namespace herald::observability {
namespace {

constexpr std::string_view kFiltered = "[Filtered]";
constexpr std::size_t kMaxTagValue = 200;  // Sentry drops longer tag values
constexpr std::size_t kMaxText = 8192;     // exception values and messages

// `s` as valid UTF-8 (bad bytes become U+FFFD), cut to at most `max` bytes
// without splitting a character.
std::string clip(std::string_view s, std::size_t max) {
  std::string text = storable_text(s);
  if (text.size() <= max) return text;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  text.resize(n);
  return text;
}

std::string tag_value(std::string_view s) {
  std::string v = clip(s, kMaxTagValue);
  for (char& ch : v) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  return v;
}

std::string_view breadcrumb_level(log::Level level) {
  switch (level) {
    case log::Level::Debug:
      return "debug";
    case log::Level::Info:
      return "info";
    case log::Level::Warn:
      return "warning";
    case log::Level::Error:
      return "error";
  }
  return "info";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Query parameter names as a server reads them: %XX decoded, '+' a space.
std::string decode_name(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string scrub_query(std::string_view query) {
  std::string out;
  out.reserve(query.size());
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    if (start > 0) out.push_back('&');
    if (is_secret_name(decode_name(name))) {
      out.append(name);
      out.push_back('=');
      out.append(kFiltered);
    } else {
      out.append(pair);
    }
    start = end + 1;
  }
  return out;
}

std::string scrub_path(std::string_view path, std::string_view route) {
  const auto segments = split(path, '/');
  const auto pattern = split(route, '/');
  if (route.empty() || segments.size() != pattern.size()) return std::string(path);
  std::string out;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    const std::string_view p = pattern[i];
    const bool param = p.size() > 2 && p.front() == '{' && p.back() == '}';
    out.append(param && is_secret_name(p.substr(1, p.size() - 2)) ? kFiltered : segments[i]);
  }
  return out;
}

}  // namespace

std::string_view level_name(EventLevel level) noexcept {
  switch (level) {
    case EventLevel::Debug:
      return "debug";
    case EventLevel::Info:
      return "info";
    case EventLevel::Warning:
      return "warning";
    case EventLevel::Error:
      return "error";
    case EventLevel::Fatal:
      return "fatal";
  }
  return "error";
}

bool is_secret_name(std::string_view name) {
  std::string n = to_lower_ascii(trim(name));
  for (char& c : n) {
    if (c == '-') c = '_';
  }
  static constexpr std::array<std::string_view, 16> kExact = {
      "key", "code", "sig",  "pass", "pwd",    "auth",       "session", "sessionid",
      "jwt", "otp",  "csrf", "xsrf", "bearer", "credential", "hash",    "nonce",
  };
  for (auto e : kExact) {
    if (n == e) return true;
  }
  static constexpr std::array<std::string_view, 10> kParts = {
      "token", "password", "passwd", "secret", "signature", "api_key", "apikey", "private", "authorization", "cookie",
  };
  for (auto p : kParts) {
    if (n.find(p) != std::string::npos) return true;
  }
  return n.ends_with("_key") || n.ends_with("_code") || n.ends_with("_sig");
}

ScrubbedTarget scrub_target(std::string_view target, std::string_view route) {
  // An absolute-form target (a proxy's "http://user:pass@host/path") keeps only its path.
  if (!target.starts_with('/')) {
    const auto scheme = target.find("://");
    const auto path = scheme == std::string_view::npos ? std::string_view::npos : target.find('/', scheme + 3);
    target = path == std::string_view::npos ? std::string_view("/") : target.substr(path);
  }
  target = target.substr(0, target.find('#'));
  const auto q = target.find('?');
  ScrubbedTarget out;
  out.path = scrub_path(target.substr(0, q), route);
  if (q != std::string_view::npos) out.query = scrub_query(target.substr(q + 1));
  return out;
}

ExceptionInfo describe_exception(const std::exception& e) {
  ExceptionInfo info;
  const char* mangled = typeid(e).name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  info.type = status == 0 && demangled ? demangled.get() : mangled;
  info.value = e.what();
  return info;
}

std::string new_event_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uint64_t hi = rng();
  std::uint64_t lo = rng();
  hi = (hi & ~0xF000ull) | 0x4000ull;                  // version 4
  lo = (lo & ~(0xC000ull << 48)) | (0x8000ull << 48);  // RFC 4122 variant
  return fmt::format("{:016x}{:016x}", hi, lo);
}

nlohmann::json build_event(const Event& event, const EventContext& ctx, const EventSource& source) {
  using nlohmann::json;
  json e = {
      {"event_id", event.event_id},
      {"timestamp", rfc3339(event.timestamp)},
      {"platform", "native"},
      {"level", level_name(event.level)},
      {"logger", ctx.logger.empty() ? "herald" : ctx.logger},
      {"release", source.release},
      {"environment", source.environment},
      {"server_name", source.server_name},
      {"sdk", {{"name", "herald"}, {"version", HERALD_VERSION}}},
  };

  json tags = json::object();
  if (!ctx.route.empty()) {
    tags["route"] = tag_value(ctx.route);
    e["transaction"] = clip(ctx.route, kMaxTagValue);
  }
  if (!ctx.method.empty()) tags["method"] = tag_value(ctx.method);
  if (ctx.status) tags["status"] = std::to_string(*ctx.status);
  if (!ctx.request_id.empty()) tags["request_id"] = tag_value(ctx.request_id);
  if (!ctx.queue.empty()) tags["queue"] = tag_value(ctx.queue);
  if (!ctx.job_name.empty()) {
    tags["job"] = tag_value(ctx.job_name);
    if (ctx.route.empty()) e["transaction"] = clip(ctx.job_name, kMaxTagValue);
  }
  if (!ctx.job_id.empty()) tags["job_id"] = tag_value(ctx.job_id);
  for (const auto& [k, v] : ctx.tags) tags[clip(k, 32)] = tag_value(v);
  if (!tags.empty()) e["tags"] = std::move(tags);

  if (!ctx.method.empty() || !ctx.target.empty()) {
    const ScrubbedTarget t = scrub_target(ctx.target, ctx.route);
    json request = {{"method", clip(ctx.method, 32)}, {"url", clip(ctx.base_url + t.path, kMaxText)}};
    if (!t.query.empty()) request["query_string"] = clip(t.query, kMaxText);
    if (!ctx.request_id.empty()) request["headers"] = {{"X-Request-ID", ctx.request_id}};
    e["request"] = std::move(request);
  }
  if (ctx.user_id) {
    json user = {{"id", std::to_string(*ctx.user_id)}};
    if (!ctx.user_role.empty()) user["role"] = ctx.user_role;
    e["user"] = std::move(user);
  }
  if (!ctx.job_id.empty() || !ctx.job_name.empty()) {
    json job = {{"queue", ctx.queue}, {"name", ctx.job_name}, {"id", ctx.job_id}};
    if (ctx.attempt) job["attempt"] = *ctx.attempt;
    e["contexts"] = {{"job", std::move(job)}};
  }

  if (event.exception) {
    e["exception"] = {{"values", json::array({{{"type", clip(event.exception->type, 256)},
                                               {"value", clip(event.exception->value, kMaxText)}}})}};
  }
  if (!event.message.empty()) e["message"] = {{"formatted", clip(event.message, kMaxText)}};

  if (!ctx.breadcrumbs.empty()) {
    json values = json::array();
    for (const auto& b : ctx.breadcrumbs) {
      values.push_back({{"timestamp", rfc3339(b.time)},
                        {"type", "default"},
                        {"category", "log"},
                        {"level", breadcrumb_level(b.level)},
                        {"message", b.message}});
    }
    e["breadcrumbs"] = {{"values", std::move(values)}};
  }
  return e;
}

}  // namespace herald::observability
