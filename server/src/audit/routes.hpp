// Handlers for /api/admin/audit-logs and /api/admin/audit-logs/verify.
#pragma once

#include "audit/log.hpp"
#include "http/types.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::audit {

class Routes {
 public:
  explicit Routes(AuditLog& log) : log_(log) {}
  http::Response list(http::Request& req);
  http::Response verify(http::Request& req);

 private:
  AuditLog& log_;
};

// Adds these handlers, with their OpenAPI descriptions, under the names the
// route table (api/routes.cpp) uses (endpoints.cpp).
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::audit
