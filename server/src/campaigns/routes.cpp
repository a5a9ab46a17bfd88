#include "campaigns/routes.hpp"

#include <utility>

#include "core/errors.hpp"
#include "core/json_fields.hpp"
#include "core/strings.hpp"
#include "http/params.hpp"

namespace herald::campaigns {
namespace {

using http::Request;
using http::Response;

constexpr const char* kNotOurs = "this link is not valid (it may have been copied incompletely)";

std::string resource(std::int64_t id) { return "campaign/" + std::to_string(id); }

std::optional<std::int64_t> actor(const Request& req) {
  return req.principal ? std::optional<std::int64_t>(req.principal->user_id) : std::nullopt;
}

nlohmann::json page_json(nlohmann::json items, std::int64_t total, const http::PageParams& p) {
  return {{"items", std::move(items)}, {"total", total}, {"page", p.page}, {"page_size", p.page_size}};
}

// Actions take no body, or an empty JSON object.
void no_body(const Request& req) {
  if (!trim(req.body).empty()) require_fields(req.json(), {});
}

Visitor visitor(const Request& req) {
  Visitor v;
  v.user_agent = req.header("User-Agent").value_or("");
  v.ip = req.client_ip;
  v.request_id = req.request_id;
  return v;
}

Response html(int status, std::string body) {
  auto r = Response::text(status, std::move(body), "text/html; charset=utf-8");
  r.headers.add("Cache-Control", "no-store");
  return r;
}

}  // namespace

Response Routes::list(Request& req) {
  auto p = http::page_params(req);
  std::optional<Status> status;
  if (auto s = req.query_param("status"); s && !s->empty()) {
    status = parse_status(*s);
    if (!status)
      throw ValidationError("status", "must be one of draft, scheduled, sending, paused, completed, cancelled, failed");
  }
  auto [items, total] = campaigns_.list(status, p.page, p.page_size);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& v : items) list.push_back(to_json(v));
  return Response::json(200, page_json(std::move(list), total, p));
}

Response Routes::create(Request& req) {
  auto fields = parse_campaign_fields(req.json(), true);
  const bool send_now = fields.send_now.value_or(false);
  if (send_now && (!req.principal || !req.principal->has("campaign:send")))
    throw Forbidden("send_now needs the permission campaign:send");
  auto v = campaigns_.create(fields, actor(req));
  req.audit.resource = resource(v.campaign.id);
  if (send_now) {
    req.audit.details = nlohmann::json({{"send_now", true}}).dump();
    auto a = campaigns_.send(v.campaign.id);
    auto r = Response::json(202, {{"id", a.id}, {"status", to_string(a.status)}, {"emails_queued", a.emails_queued}});
    r.headers.add("Location", "/api/campaigns/" + std::to_string(a.id));
    return r;
  }
  auto r = Response::json(201, to_json(v));
  r.headers.add("Location", "/api/campaigns/" + std::to_string(v.campaign.id));
  return r;
}

Response Routes::get(Request& req) { return Response::json(200, to_json(campaigns_.get(http::id_param(req)))); }

Response Routes::update(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  auto fields = parse_campaign_fields(req.json(), false);
  auto v = campaigns_.update(id, fields);
  req.audit.details = nlohmann::json({{"changed", fields.changed}}).dump();
  return Response::json(200, to_json(v));
}

Response Routes::remove(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  campaigns_.remove(id);
  return Response::no_content();
}

Response Routes::send(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  no_body(req);
  auto a = campaigns_.send(id);
  req.audit.details = nlohmann::json({{"emails_queued", a.emails_queued}, {"status", to_string(a.status)}}).dump();
  return Response::json(202, {{"id", a.id}, {"status", to_string(a.status)}, {"emails_queued", a.emails_queued}});
}

Response Routes::pause(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  no_body(req);
  return Response::json(200, to_json(campaigns_.pause(id)));
}

Response Routes::resume(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  no_body(req);
  return Response::json(200, to_json(campaigns_.resume(id)));
}

Response Routes::cancel(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  no_body(req);
  return Response::json(200, to_json(campaigns_.cancel(id)));
}

Response Routes::test(Request& req) {
  auto id = http::id_param(req);
  req.audit.resource = resource(id);
  auto emails = parse_test_request(req.json());
  auto results = campaigns_.test(id, emails);
  nlohmann::json items = nlohmann::json::array();
  std::int64_t delivered = 0;
  for (const auto& r : results) {
    items.push_back({{"email", r.email}, {"delivered", r.delivered}, {"detail", r.detail}});
    delivered += r.delivered ? 1 : 0;
  }
  req.audit.details = nlohmann::json({{"addresses", results.size()}, {"delivered", delivered}}).dump();
  return Response::json(200, {{"results", items}});
}

Response Routes::recipients(Request& req) {
  auto id = http::id_param(req);
  auto p = http::page_params(req);
  std::optional<RecipientState> state;
  if (auto s = req.query_param("state"); s && !s->empty()) {
    state = parse_recipient_state(*s);
    if (!state)
      throw ValidationError("state", "must be one of queued, sending, sent, deferred, failed, skipped, cancelled");
  }
  auto [items, total] = campaigns_.recipients(id, state, p.page, p.page_size);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : items) list.push_back(to_json(r));
  return Response::json(200, page_json(std::move(list), total, p));
}

Response Routes::timeline(Request& req) {
  auto id = http::id_param(req);
  const auto minutes = http::int_query(req, "minutes", 1, 10080).value_or(60);
  auto t = campaigns_.timeline(id, minutes);
  nlohmann::json points = nlohmann::json::array();
  for (const auto& [minute, n] : t.per_minute) points.push_back({{"t", minute}, {"sent", n}});
  return Response::json(200, {{"interval", "minute"}, {"points", points}});
}

Response Routes::summary(Request&) {
  nlohmann::json by_status = nlohmann::json::object();
  for (auto s : {"draft", "scheduled", "sending", "paused", "completed", "cancelled", "failed"}) by_status[s] = 0;
  for (const auto& [status, n] : campaigns_.summary()) by_status[status] = n;
  return Response::json(200, {{"by_status", by_status}});
}

// ---- tracking ----------------------------------------------------------------

Response Routes::open_pixel(Request& req) {
  if (!tracking_.open(req.param("token"), visitor(req))) throw NotFound(kNotOurs);
  auto r = Response::text(200, pixel_gif(), "image/gif");
  r.headers.add("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0");
  r.headers.add("Pragma", "no-cache");
  return r;
}

Response Routes::click(Request& req) {
  auto url = tracking_.click(req.param("token"), visitor(req));
  if (!url) throw NotFound(kNotOurs);
  Response r;
  r.status = 302;
  r.headers.add("Location", std::move(*url));
  r.headers.add("Cache-Control", "no-store");
  r.headers.add("Referrer-Policy", "no-referrer");
  return r;
}

Response Routes::unsubscribe_page(Request& req) {
  const auto token = req.param("token");
  if (!tracking_.check_unsubscribe(token)) throw NotFound(kNotOurs);
  return html(200, campaigns::unsubscribe_page("/u/" + std::string(token)));
}

Response Routes::unsubscribe(Request& req) {
  // RFC 8058: a POST with List-Unsubscribe=One-Click, no cookie, no login;
  // the confirmation page's form posts here too. Answers 200, never a redirect.
  // Mail clients post a form (List-Unsubscribe=One-Click), browsers the
  // page's form; a JSON body, like every JSON body here, names no unknown field.
  if (req.header("Content-Type").value_or("").starts_with("application/json") && !trim(req.body).empty())
    require_fields(req.json(), {});
  const auto token = req.param("token");
  auto t = tracking_.check_unsubscribe(token);
  if (!t) throw NotFound(kNotOurs);
  req.audit.resource = resource(t->campaign_id);
  tracking_.unsubscribe(token, visitor(req));
  return html(200, unsubscribed_page());
}

}  // namespace herald::campaigns
