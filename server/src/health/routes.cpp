#include "health/routes.hpp"

#include <nlohmann/json.hpp>

#include "http/problem.hpp"

namespace herald::health {

http::Response Routes::live(http::Request&) {
  // Liveness: the process answers. Readiness details live in /api/health/detailed.
  static const std::string kBody = R"({"status":"healthy"})";
  auto r = http::Response::json_text(200, kBody);
  r.headers.add("Cache-Control", "no-store");
  return r;
}

http::Response Routes::ready(http::Request&) {
  auto result = readiness_.check();
  http::Response r = result.ready ? http::Response::json(200, {{"status", "ready"}, {"checks", result.checks}})
                                  : http::problem(503, "Service Unavailable", "this process is not ready to serve",
                                                  "not-ready", nlohmann::json{{"checks", result.checks}});
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
