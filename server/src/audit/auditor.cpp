#include "audit/auditor.hpp"

#include <nlohmann/json.hpp>

namespace herald::audit {
namespace {

bool state_changing(http::Method m) {
  return m == http::Method::Post || m == http::Method::Put || m == http::Method::Patch || m == http::Method::Delete;
}

std::string problem_detail(const http::Response& resp) {
  auto doc = nlohmann::json::parse(resp.body, nullptr, false);
  if (doc.is_object() && doc.contains("detail") && doc["detail"].is_string()) return doc["detail"].get<std::string>();
  return "HTTP " + std::to_string(resp.status);
}

}  // namespace

void RequestAuditor::observe(const http::Request& req, const http::Response& resp) {
  if (!req.route || req.audit.recorded) return;
  bool denied = resp.status == 403;
  if (!denied && !state_changing(req.method)) return;

  Entry e;
  e.action = !req.audit.action.empty() ? req.audit.action
             : denied                  ? std::string("PERMISSION_DENIED")
                                       : req.route->audit_action;
  if (e.action.empty() || e.action == http::kChangesNothing) return;
  if (req.principal) {
    e.user_id = req.principal->user_id;
    e.actor = req.principal->email;
  } else {
    e.user_id = req.audit.user_id;
    e.actor = req.audit.actor;
  }
  e.resource = !req.audit.resource.empty()     ? req.audit.resource
               : req.path.starts_with("/api/") ? req.path.substr(5)
                                               : req.path;
  e.ip = req.client_ip;
  e.request_id = req.request_id;
  e.success = resp.status < 400;
  if (!e.success) e.error = problem_detail(resp);
  if (denied) {
    nlohmann::json d = {{"method", req.method_text}, {"path", req.path}};
    if (req.route->access.kind == http::Access::Kind::Permission) d["permission"] = req.route->access.permission;
    e.details = d.dump();
  } else if (!req.audit.details.empty()) {
    e.details = req.audit.details;
  }
  log_.record(std::move(e));
}

}  // namespace herald::audit
