#include "audit/routes.hpp"

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "core/time.hpp"
#include "http/params.hpp"

namespace herald::audit {
namespace {

std::optional<std::string> time_query(const http::Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v) return std::nullopt;
  auto t = parse_rfc3339(*v);
  if (!t) throw ValidationError(name, "must be an RFC 3339 time like 2026-01-31T12:00:00Z or a date");
  return rfc3339(*t);
}

Filter filter_from(const http::Request& req, std::int64_t max_limit, std::int64_t default_limit) {
  Filter f;
  f.user_id = http::int_query(req, "user_id", 1, INT64_MAX);
  f.action = req.query_param("action");
  f.resource = req.query_param("resource");
  f.from = time_query(req, "from");
  f.to = time_query(req, "to");
  f.before_id = http::int_query(req, "cursor", 1, INT64_MAX).value_or(0);
  f.limit = http::int_query(req, "limit", 1, max_limit).value_or(default_limit);
  return f;
}

std::string csv(const std::vector<Entry>& entries) {
  std::string out = "id,created_at,user_id,actor,action,resource,ip,request_id,success,error,details\r\n";
  for (const auto& e : entries) {
    out += std::to_string(e.id) + ',' + csv_cell(e.created_at) + ',' + (e.user_id ? std::to_string(*e.user_id) : "") +
           ',' + csv_cell(e.actor) + ',' + csv_cell(e.action) + ',' + csv_cell(e.resource) + ',' + csv_cell(e.ip) +
           ',' + csv_cell(e.request_id) + ',' + (e.success ? "true" : "false") + ',' + csv_cell(e.error) + ',' +
           csv_cell(e.details) + "\r\n";
  }
  return out;
}

}  // namespace

http::Response Routes::list(http::Request& req) {
  auto format = req.query_param("format").value_or("json");
  if (format != "json" && format != "csv") throw ValidationError("format", "must be json or csv");
  log_.flush();  // entries of requests that just finished are visible
  if (format == "csv") {
    auto entries = log_.list(filter_from(req, 100000, 10000));
    auto r = http::Response::text(200, csv(entries), "text/csv; charset=utf-8");
    r.headers.add("Content-Disposition", "attachment; filename=\"audit-log.csv\"");
    return r;
  }
  Filter f = filter_from(req, 200, 50);
  auto entries = log_.list(f);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : entries) items.push_back(to_json(e));
  nlohmann::json next = nullptr;
  if (static_cast<std::int64_t>(entries.size()) == f.limit && !entries.empty()) next = entries.back().id;
  return http::Response::json(200, {{"items", items}, {"next_cursor", next}, {"limit", f.limit}});
}

http::Response Routes::verify(http::Request&) {
  log_.flush();
  auto v = log_.verify();
  return http::Response::json(
      200, {{"valid", v.valid},
            {"checked", v.checked},
            {"first_broken_id", v.first_broken_id ? nlohmann::json(*v.first_broken_id) : nlohmann::json(nullptr)}});
}

}  // namespace herald::audit
