#include "observability/sentry_envelope.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/strings.hpp"

namespace herald::observability {
namespace {

constexpr std::chrono::seconds kDefaultRetryAfter{60};

// A number of seconds (Sentry sends integers; fractions round up), or nullopt.
std::optional<std::chrono::seconds> seconds(std::string_view text) {
  const std::string s(trim(text));
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(std::min(v, 86400.0 * 7))));
}

// True when a ';'-separated category list covers error events (empty = every category).
bool covers_errors(std::string_view categories) {
  if (trim(categories).empty()) return true;
  for (auto c : split(categories, ';')) {
    const auto t = trim(c);
    if (t == "error" || t == "default") return true;
  }
  return false;
}

}  // namespace

std::string event_envelope(std::string_view event_id, std::string_view dsn, std::string_view sent_at,
                           std::string_view payload) {
  const nlohmann::json header = {{"event_id", event_id}, {"dsn", dsn}, {"sent_at", sent_at}};
  const nlohmann::json item = {{"type", "event"}, {"length", payload.size()}, {"content_type", "application/json"}};
  std::string out = header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.push_back('\n');
  out += item.dump();
  out.push_back('\n');
  out.append(payload);
  out.push_back('\n');
  return out;
}

std::string auth_header(const SentryDsn& dsn) {
  return "Sentry sentry_version=7, sentry_client=herald/" HERALD_VERSION ", sentry_key=" + dsn.public_key;
}

std::optional<std::chrono::seconds> rate_limit_backoff(int status, std::optional<std::string_view> rate_limits,
                                                       std::optional<std::string_view> retry_after) {
  if (rate_limits && !trim(*rate_limits).empty()) {
    std::optional<std::chrono::seconds> longest;
    for (auto limit : split(*rate_limits, ',')) {
      // retry_after:categories:scope[:reason_code[:namespaces]]
      const auto parts = split(trim(limit), ':');
      if (parts.empty()) continue;
      const auto after = seconds(parts[0]);
      if (!after || !covers_errors(parts.size() > 1 ? parts[1] : std::string_view())) continue;
      if (!longest || *after > *longest) longest = after;
    }
    if (longest || status != 429) return longest;
  }
  if (status != 429) return std::nullopt;
  if (retry_after) {
    if (auto s = seconds(*retry_after)) return s;
  }
  return kDefaultRetryAfter;
}

}  // namespace herald::observability
