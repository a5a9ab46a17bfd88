#include "observability/routes.hpp"

#include <charconv>

#include "core/crypto.hpp"
#include "core/errors.hpp"

namespace herald::observability {

void ScrapeAccess::check(const http::Request& req) const {
  if (!token_) return;
  const auto header = req.header("Authorization").value_or("");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.substr(0, kBearer.size()) != kBearer)
    throw Unauthorized("GET /metrics requires Authorization: Bearer <HERALD_METRICS_TOKEN>");
  if (!crypto::constant_time_equal(header.substr(kBearer.size()), *token_))
    throw Unauthorized("the metrics token is not valid");
}

http::Response scrape(Metrics& metrics, const ScrapeAccess& access, const http::Request& req) {
  access.check(req);
  http::Response r;
  r.status = 200;
  r.body = metrics.render();
  r.content_type = std::string(kMetricsContentType);
  r.headers.add("Cache-Control", "no-store");
  return r;
}

int parse_minutes(const std::optional<std::string>& text) {
  if (!text) return SystemReport::kDefaultMinutes;
  int v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < 1 || v > SystemReport::kMaxMinutes)
    throw ValidationError("minutes", "must be an integer from 1 to " + std::to_string(SystemReport::kMaxMinutes));
  return v;
}

http::Response Routes::metrics(http::Request& req) {
  if (own_listener_) throw NotFound("metrics are served on their own address (HERALD_METRICS_LISTEN), not here");
  return scrape(metrics_, access_, req);
}

http::Response Routes::system(http::Request& req) {
  const int minutes = parse_minutes(req.query_param("minutes"));
  auto r = http::Response::json(200, report_.build(minutes));
  r.headers.add("Cache-Control", "no-store");
  return r;
}

}  // namespace herald::observability
