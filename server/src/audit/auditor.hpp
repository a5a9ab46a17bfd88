// Turns finished requests into audit entries: every state-changing /api
// request (succeeded or not) and every permission denial.
#pragma once

#include "audit/log.hpp"
#include "http/pipeline.hpp"

namespace herald::audit {

class RequestAuditor final : public http::ResponseObserver {
 public:
  explicit RequestAuditor(AuditLog& log) : log_(log) {}
  void observe(const http::Request& req, const http::Response& resp) override;

 private:
  AuditLog& log_;
};

}  // namespace herald::audit
