// The settings domain's handlers the route table names, with their OpenAPI descriptions.
#include "http/endpoints.hpp"
#include "settings/routes.hpp"

namespace herald::settings {

void add_endpoints(http::Endpoints& e, Routes& r) {
  using http::bind;
  using http::object_schema;
  const auto sender = object_schema({{"from_name", "string"}, {"from_email", "string"}, {"reply_to", "string"}});
  const auto tracking = object_schema({{"track_opens", "boolean"}, {"track_clicks", "boolean"}});
  const auto limit = object_schema({{"domain", "string"}, {"per_minute", "integer"}});
  const nlohmann::json limits = {{"type", "array"}, {"items", limit}};
  const auto smtp = object_schema({{"transport", "string"},
                                   {"host", "string"},
                                   {"port", "integer"},
                                   {"tls", "string"},
                                   {"username", "string"},
                                   {"verify_certificate", "boolean"},
                                   {"pool", "integer"},
                                   {"url", "string"}});
  const auto dkim = object_schema({{"domain", "string"},
                                   {"selector", "string"},
                                   {"dns_name", "string"},
                                   {"dns_txt", "string"},
                                   {"created_at", "string"},
                                   {"source", "string"},
                                   {"error", "string"}});
  const nlohmann::json dkim_list = {{"type", "array"}, {"items", dkim}};
  auto settings = object_schema({{"public_url", "string"}});
  settings["properties"]["sender"] = sender;
  settings["properties"]["tracking"] = tracking;
  settings["properties"]["domain_limits"] = limits;
  settings["properties"]["smtp"] = smtp;
  settings["properties"]["dkim"] = dkim_list;
  auto ai = object_schema({{"base_url", "string"},
                           {"model", "string"},
                           {"api_key_set", "boolean"},
                           {"daily_token_budget", "integer"},
                           {"configured", "boolean"},
                           {"source", "object"}});
  settings["properties"]["ai"] = ai;
  settings["properties"]["inbound"] = object_schema({{"enabled", "boolean"},
                                                     {"imap_url", "string"},
                                                     {"user", "string"},
                                                     {"password_set", "boolean"},
                                                     {"poll_interval_s", "integer"}});
  const auto inbound_patch = object_schema({{"enabled", "boolean"},
                                            {"imap_url", "string"},
                                            {"user", "string"},
                                            {"password", "string"},
                                            {"poll_interval_s", "integer"}});
  const auto ai_patch = object_schema(
      {{"base_url", "string"}, {"model", "string"}, {"api_key", "string"}, {"daily_token_budget", "integer"}});
  nlohmann::json patch = {{"type", "object"},
                          {"properties",
                           {{"sender", sender},
                            {"tracking", tracking},
                            {"domain_limits", limits},
                            {"ai", ai_patch},
                            {"inbound", inbound_patch}}}};
  const auto outbox_item = object_schema({{"id", "integer"},
                                          {"from", "string"},
                                          {"to", "string"},
                                          {"subject", "string"},
                                          {"campaign_id", "integer"},
                                          {"message_id", "string"},
                                          {"size", "integer"},
                                          {"created_at", "string"}});
  auto outbox_page =
      object_schema({{"items", "array"}, {"total", "integer"}, {"page", "integer"}, {"page_size", "integer"}});
  outbox_page["properties"]["items"]["items"] = outbox_item;
  auto outbox_message = outbox_item;
  outbox_message["properties"]["raw"] = {{"type", "string"}};

  e.add("settings.get", bind(r, &Routes::get),
        {.summary = "Sender identity, tracking defaults, domain limits, SMTP (read-only), DKIM keys, AI provider, "
                    "inbound mailbox",
         .tag = "settings",
         .response = settings});
  e.add("settings.update", bind(r, &Routes::update),
        {.summary = "Change the sender identity, tracking defaults, per-recipient-domain limits, AI provider or "
                    "inbound mailbox (the API key and the mailbox password are write-only)",
         .tag = "settings",
         .request_body = patch,
         .response = settings});
  e.add("settings.dkim_list", bind(r, &Routes::list_dkim),
        {.summary = "DKIM keys per sending domain (generated, and the operator's from HERALD_DKIM_*)",
         .tag = "settings",
         .response = {{"type", "object"}, {"properties", {{"items", dkim_list}}}}});
  e.add("settings.dkim_create", bind(r, &Routes::create_dkim),
        {.summary = "Generate an RSA-2048 DKIM key for a sending domain; answers the DNS record to publish",
         .tag = "settings",
         .request_body = object_schema({{"domain", "string"}, {"selector", "string"}}),
         .response = dkim,
         .success_status = 201});
  e.add("settings.dkim_delete", bind(r, &Routes::delete_dkim),
        {.summary = "Delete a sending domain's generated DKIM key", .tag = "settings", .success_status = 204});
  e.add("settings.smtp_test", bind(r, &Routes::smtp_test),
        {.summary = "Send a short test message through the configured transport",
         .tag = "settings",
         .request_body = object_schema({{"to", "string"}}),
         .response = object_schema(
             {{"delivered", "boolean"}, {"transport", "string"}, {"detail", "string"}, {"message_id", "string"}})});
  e.add("outbox.list", bind(r, &Routes::list_outbox),
        {.summary = "Messages the built-in outbox captured, newest first",
         .tag = "admin",
         .response = outbox_page,
         .query = {{"campaign_id", "only this campaign's"}, {"page", "from 1"}, {"page_size", "1-200"}}});
  e.add("outbox.get", bind(r, &Routes::get_outbox),
        {.summary = "One captured message with its raw text", .tag = "admin", .response = outbox_message});
}

}  // namespace herald::settings
