#include "settings/routes.hpp"

#include "core/errors.hpp"
#include "http/params.hpp"

namespace herald::settings {
namespace {

using http::Request;
using http::Response;

nlohmann::json outbox_json(const OutboxEntry& e, bool with_raw) {
  nlohmann::json out = {{"id", e.id},
                        {"from", e.mail_from},
                        {"to", e.rcpt_to},
                        {"subject", e.subject},
                        {"campaign_id", e.campaign_id ? nlohmann::json(*e.campaign_id) : nlohmann::json(nullptr)},
                        {"message_id", e.message_id},
                        {"size", e.size},
                        {"created_at", e.created_at}};
  if (with_raw) out["raw"] = e.raw;
  return out;
}

}  // namespace

Response Routes::get(Request&) { return Response::json(200, service_.view()); }

Response Routes::update(Request& req) {
  req.audit.resource = "settings";
  auto body = req.json();
  service_.patch(body);
  nlohmann::json changed = nlohmann::json::array();
  for (auto& [k, _] : body.items()) changed.push_back(k);
  req.audit.details = nlohmann::json({{"changed", changed}}).dump();
  return Response::json(200, service_.view());
}

Response Routes::list_dkim(Request&) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& k : service_.dkim_keys()) items.push_back(to_json(k));
  return Response::json(200, {{"items", std::move(items)}});
}

Response Routes::create_dkim(Request& req) {
  auto in = parse_dkim_request(req.json());
  req.audit.resource = "dkim_key/" + in.domain;
  auto key = service_.generate_dkim_key(in);
  req.audit.details = nlohmann::json({{"selector", key.selector}}).dump();
  return Response::json(201, to_json(key));
}

Response Routes::delete_dkim(Request& req) {
  std::string domain(req.param("domain"));
  req.audit.resource = "dkim_key/" + domain;
  service_.delete_dkim_key(domain);
  return Response::no_content();
}

Response Routes::smtp_test(Request& req) {
  auto to = parse_smtp_test_request(req.json());
  req.audit.resource = "settings/smtp";
  auto r = service_.smtp_test(to);
  req.audit.details =
      nlohmann::json({{"transport", r.transport}, {"delivered", r.delivered}, {"detail", r.detail}}).dump();
  return Response::json(
      200,
      {{"delivered", r.delivered}, {"transport", r.transport}, {"detail", r.detail}, {"message_id", r.message_id}});
}

Response Routes::list_outbox(Request& req) {
  auto p = http::page_params(req);
  auto campaign = http::int_query(req, "campaign_id", 1, std::numeric_limits<std::int64_t>::max());
  auto [items, total] = service_.outbox(p.page, p.page_size, campaign);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : items) list.push_back(outbox_json(e, false));
  return Response::json(200,
                        {{"items", std::move(list)}, {"total", total}, {"page", p.page}, {"page_size", p.page_size}});
}

Response Routes::get_outbox(Request& req) {
  return Response::json(200, outbox_json(service_.outbox_message(http::id_param(req)), true));
}

}  // namespace herald::settings
