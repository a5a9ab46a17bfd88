#include "leads/routes.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/strings.hpp"
#include "http/params.hpp"
#include "leads/export.hpp"

namespace herald::leads {
namespace {

using http::Request;
using http::Response;

std::string resource(std::int64_t id) { return "lead/" + std::to_string(id); }

std::optional<std::int64_t> actor(const Request& req) {
  return req.principal ? std::optional<std::int64_t>(req.principal->user_id) : std::nullopt;
}

Response lead_response(int status, const Lead& lead) {
  std::string body;
  append_json(body, lead);
  return Response::json_text(status, std::move(body));
}

nlohmann::json page_json(nlohmann::json items, std::int64_t total, const http::PageParams& p) {
  return {{"items", std::move(items)}, {"total", total}, {"page", p.page}, {"page_size", p.page_size}};
}

}  // namespace

// ---- leads -----------------------------------------------------------------

Response Routes::list(Request& req) {
  auto page = http::page_params(req);
  ListQuery q;
  q.filter = parse_filter(query_pairs(req.query), {"page", "page_size", "sort", "cursor", "count"});
  q.sort = parse_sort(req.query_param("sort"));
  q.page = page.page;
  q.page_size = page.page_size;
  q.cursor = http::int_query(req, "cursor", 1, INT64_MAX);
  q.count = parse_count_mode(req.query_param("count"));
  return Response::json_text(200, leads_.list_json(std::move(q)));
}

bool Routes::list_waits(const Request& req) const noexcept {
  try {
    auto filter = parse_filter(query_pairs(req.query), {"page", "page_size", "sort", "cursor", "count"});
    return leads_.may_wait(filter, parse_count_mode(req.query_param("count")));
  } catch (...) {
    return false;
  }
}

Response Routes::get(Request& req) { return lead_response(200, leads_.get(http::id_param(req))); }

Response Routes::create(Request& req) {
  auto lead = leads_.create(parse_lead_create(req.json()));
  req.audit.resource = resource(lead.id);
  auto r = lead_response(201, lead);
  r.headers.add("Location", "/api/leads/" + std::to_string(lead.id));
  return r;
}

Response Routes::update(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  auto patch = parse_lead_patch(req.json());
  auto lead = leads_.update(id, patch);
  req.audit.details = nlohmann::json({{"changed", patch.changed}}).dump();
  return lead_response(200, lead);
}

Response Routes::remove(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  leads_.remove(id);
  return Response::no_content();
}

Response Routes::bulk(Request& req) {
  req.audit.resource = "leads";
  auto r = parse_bulk_request(req.json());
  if (r.action == BulkAction::Delete) {
    // Denied, the auditor records PERMISSION_DENIED.
    if (!req.principal || !req.principal->has("lead:delete")) throw Forbidden("missing permission lead:delete");
    req.audit.action = "LEADS_BULK_DELETED";
  }
  auto n = leads_.bulk(r);
  nlohmann::json details = {
      {"action", to_string(r.action)}, {"count", n}, {"selection", r.filter.ids.empty() ? "filter" : "ids"}};
  if (!r.tag.empty()) details["tag"] = r.tag;
  if (!r.status.empty()) details["status"] = r.status;
  req.audit.details = details.dump();
  return Response::json(200, {{"action", to_string(r.action)}, {"count", n}});
}

Response Routes::export_csv(Request& req) {
  auto filter = leads_.resolve(parse_filter(query_pairs(req.query)));
  auto r = Response::streamed(200, "text/csv; charset=utf-8", leads::export_csv(leads_, std::move(filter)));
  r.headers.add("Content-Disposition", "attachment; filename=\"leads.csv\"");
  r.headers.add("Cache-Control", "no-store");
  return r;
}

Response Routes::gdpr_export(Request& req) {
  auto r = Response::json(200, privacy_.export_lead(http::id_param(req)));
  r.headers.add("Cache-Control", "no-store");
  return r;
}

Response Routes::gdpr_erase(Request& req) {
  auto id = http::id_param(req);
  if (!trim(req.body).empty()) require_fields(req.json(), {});  // nothing to send but an empty object
  req.audit.resource = resource(id);
  auto hash = privacy_.erase(id, actor(req));
  req.audit.details = nlohmann::json({{"suppressed", true}}).dump();
  return Response::json(200, {{"id", id}, {"erased", true}, {"suppression_hash", hash}});
}

// ---- segments ---------------------------------------------------------------

Response Routes::list_segments(Request& req) {
  auto p = http::page_params(req);
  return Response::json_text(200, segments_.list_json(p.page, p.page_size));
}

Response Routes::get_segment(Request& req) { return Response::json_text(200, segments_.get_json(http::id_param(req))); }

Response Routes::create_segment(Request& req) {
  auto s = segments_.create(parse_segment_input(req.json(), true), actor(req));
  req.audit.resource = "segment/" + std::to_string(s.segment.id);
  auto r = Response::json(201, to_json(s));
  r.headers.add("Location", "/api/segments/" + std::to_string(s.segment.id));
  return r;
}

Response Routes::update_segment(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = "segment/" + std::to_string(id);
  auto body = req.json();
  auto s = segments_.update(id, parse_segment_input(body, false));
  nlohmann::json changed = nlohmann::json::array();
  for (auto& [k, _] : body.items()) changed.push_back(k);
  req.audit.details = nlohmann::json({{"changed", changed}}).dump();
  return Response::json(200, to_json(s));
}

Response Routes::delete_segment(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = "segment/" + std::to_string(id);
  segments_.remove(id);
  return Response::no_content();
}

// ---- suppressions -----------------------------------------------------------

Response Routes::list_suppressions(Request& req) {
  auto p = http::page_params(req);
  SuppressionQuery q;
  q.kind = req.query_param("kind");
  if (q.kind && *q.kind != "email" && *q.kind != "domain") throw ValidationError("kind", "must be email or domain");
  q.reason = req.query_param("reason");
  if (q.reason &&
      std::find(kSuppressionReasons.begin(), kSuppressionReasons.end(), *q.reason) == kSuppressionReasons.end())
    throw ValidationError("reason", "must be manual, unsubscribe, bounce, complaint or gdpr");
  if (auto text = req.query_param("q"); text && !text->empty()) {
    if (auto problem = text_problem(*text, 200)) throw ValidationError("q", *problem);
    q.like = contains_pattern(to_lower_ascii(*text));
  }
  q.limit = p.page_size;
  q.offset = (p.page - 1) * p.page_size;
  auto [items, total] = suppressions_.list(q);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : items) list.push_back(to_json(s));
  return Response::json(200, page_json(std::move(list), total, p));
}

Response Routes::get_suppression(Request& req) {
  return Response::json(200, to_json(suppressions_.get(http::id_param(req))));
}

Response Routes::create_suppression(Request& req) {
  auto s = suppressions_.create(parse_suppression_input(req.json()), actor(req));
  req.audit.resource = "suppression/" + std::to_string(s.id);
  req.audit.details = nlohmann::json({{"kind", s.kind}, {"reason", s.reason}}).dump();
  return Response::json(201, to_json(s));
}

Response Routes::update_suppression(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = "suppression/" + std::to_string(id);
  return Response::json(200, to_json(suppressions_.update(id, parse_suppression_patch(req.json()))));
}

Response Routes::delete_suppression(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = "suppression/" + std::to_string(id);
  suppressions_.remove(id);
  return Response::no_content();
}

}  // namespace herald::leads
