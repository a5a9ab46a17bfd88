// Handlers for /api/admin/audit-logs and /api/admin/audit-logs/verify.
#pragma once

#include "audit/log.hpp"
#include "http/types.hpp"

namespace herald::audit {

class Routes {
 public:
  explicit Routes(AuditLog& log) : log_(log) {}
  http::Response list(http::Request& req);
  http::Response verify(http::Request& req);

 private:
  AuditLog& log_;
};

}  // namespace herald::audit
