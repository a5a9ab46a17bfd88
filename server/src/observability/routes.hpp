// Handlers of GET /metrics and GET /api/admin/system.
#pragma once

#include <optional>
#include <string>

#include "core/config.hpp"
#include "http/types.hpp"
#include "observability/metrics.hpp"
#include "observability/system_report.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::observability {

// Who may scrape: everyone, or only a caller presenting the bearer token.
class ScrapeAccess {
 public:
  explicit ScrapeAccess(std::optional<std::string> token) : token_(std::move(token)) {}
  // Throws Unauthorized (401, WWW-Authenticate: Bearer) unless the request
  // carries "Authorization: Bearer <token>" (compared in constant time).
  void check(const http::Request& req) const;

 private:
  std::optional<std::string> token_;
};

// The Prometheus text exposition, after the access check.
http::Response scrape(Metrics& metrics, const ScrapeAccess& access, const http::Request& req);

// "minutes": the chart series' length, 1..1440 (default 60); throws
// ValidationError naming the parameter.
int parse_minutes(const std::optional<std::string>& text);

class Routes {
 public:
  Routes(Metrics& metrics, SystemReport& report, const Config& config)
      : metrics_(metrics), report_(report), access_(config.metrics_token), own_listener_(config.metrics_listen) {}

  // GET /metrics on HERALD_LISTEN; 404 when the metrics have a listener of their own.
  http::Response metrics(http::Request& req);
  // GET /api/admin/system?minutes=N
  http::Response system(http::Request& req);

  const ScrapeAccess& access() const noexcept { return access_; }

 private:
  Metrics& metrics_;
  SystemReport& report_;
  ScrapeAccess access_;
  std::optional<ListenAddress> own_listener_;
};

// Adds these handlers, with their OpenAPI descriptions, under the names the
// route table (api/routes.cpp) uses (endpoints.cpp).
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::observability
