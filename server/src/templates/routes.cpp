#include "templates/routes.hpp"

#include "core/errors.hpp"
#include "http/params.hpp"

namespace herald::templates {
namespace {

using http::Request;
using http::Response;

std::string resource(std::int64_t id) { return "template/" + std::to_string(id); }

std::optional<std::int64_t> actor(const Request& req) {
  return req.principal ? std::optional<std::int64_t>(req.principal->user_id) : std::nullopt;
}

nlohmann::json rendered_json(const Rendered& r) { return {{"subject", r.subject}, {"html", r.html}, {"text", r.text}}; }

}  // namespace

Response Routes::list(Request& req) {
  auto p = http::page_params(req);
  auto q = req.query_param("q").value_or("");
  if (q.size() > 200) throw ValidationError("q", "must be at most 200 bytes");
  auto [items, total] = service_.list(p.page, p.page_size, q);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : items) list.push_back(to_json(t));
  return Response::json(200,
                        {{"items", std::move(list)}, {"total", total}, {"page", p.page}, {"page_size", p.page_size}});
}

Response Routes::get(Request& req) { return Response::json(200, to_json(service_.get(http::id_param(req)))); }

Response Routes::create(Request& req) {
  auto t = service_.create(parse_template_input(req.json(), true), actor(req));
  req.audit.resource = resource(t.id);
  req.audit.details = nlohmann::json({{"version", t.version}}).dump();
  auto r = Response::json(201, to_json(t));
  r.headers.add("Location", "/api/templates/" + std::to_string(t.id));
  return r;
}

Response Routes::update(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  auto body = req.json();
  auto t = service_.update(id, parse_template_input(body, false));
  nlohmann::json changed = nlohmann::json::array();
  for (auto& [k, _] : body.items()) changed.push_back(k);
  req.audit.details = nlohmann::json({{"changed", changed}, {"version", t.version}}).dump();
  return Response::json(200, to_json(t));
}

Response Routes::remove(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  service_.remove(id);
  return Response::no_content();
}

Response Routes::preview(Request& req) {
  auto id = http::id_param(req);
  auto in = parse_preview_request(req.body.empty() ? nlohmann::json::object() : req.json());
  return Response::json(200, rendered_json(service_.preview(id, in.lead_id)));
}

Response Routes::preview_draft(Request& req) {
  return Response::json(200, rendered_json(service_.preview_draft(parse_draft_preview_request(req.json()))));
}

Response Routes::test(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  auto request = parse_test_request(req.json());
  auto results = service_.send_test(id, request);
  nlohmann::json items = nlohmann::json::array();
  std::int64_t delivered = 0;
  for (const auto& r : results) {
    items.push_back({{"email", r.email}, {"delivered", r.delivered}, {"detail", r.detail}});
    delivered += r.delivered ? 1 : 0;
  }
  nlohmann::json details = {{"addresses", results.size()}, {"delivered", delivered}};
  if (request.lead_id) details["lead_id"] = *request.lead_id;
  req.audit.details = details.dump();
  return Response::json(200, {{"results", items}});
}

}  // namespace herald::templates
