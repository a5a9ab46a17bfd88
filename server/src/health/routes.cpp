#include "health/routes.hpp"

#include <nlohmann/json.hpp>

namespace herald::health {

http::Response Routes::live(http::Request&) {
  // Liveness: the process answers. Readiness details live in /api/health/detailed.
  static const std::string kBody = R"({"status":"healthy"})";
  auto r = http::Response::json_text(200, kBody);
  r.headers.add("Cache-Control", "no-store");
  return r;
}

http::Response Routes::detailed(http::Request&) {
  auto body = service_.detailed();
  int status = body["status"] == "unhealthy" ? 503 : 200;
  auto r = http::Response::json(status, body);
  r.headers.add("Cache-Control", "no-store");
  return r;
}

}  // namespace herald::health
