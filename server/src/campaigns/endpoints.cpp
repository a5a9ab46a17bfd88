// The campaigns domain's handlers the route table names, with their OpenAPI
// descriptions (the web client's types are generated from them).
#include "campaigns/routes.hpp"

namespace herald::campaigns {
namespace {

using http::bind;
using nlohmann::json;

json nullable(const char* type) { return {{"type", json::array({type, "null"})}}; }

json stats_schema() {
  json props = json::object();
  for (auto k : {"recipients", "queued", "sending", "deferred", "sent", "failed", "skipped", "cancelled", "opened",
                 "clicked", "replied", "bounced", "unsubscribed"})
    props[k] = {{"type", "integer"}};
  return {{"type", "object"},
          {"properties", props},
          {"required", json::array({"recipients", "queued", "sent", "failed", "opened", "clicked", "replied", "bounced",
                                    "unsubscribed"})}};
}

json audience_schema() {
  return {{"type", "object"},
          {"properties",
           {{"all", {{"type", "boolean"}}},
            {"segment_id", {{"type", "integer"}}},
            {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"lead_ids", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}};
}

json campaign_schema() {
  json props = {
      {"id", {{"type", "integer"}}},
      {"name", {{"type", "string"}}},
      {"template_id", {{"type", "integer"}}},
      {"template_version", nullable("integer")},
      {"from_name", {{"type", "string"}}},
      {"from_email", {{"type", "string"}}},
      {"reply_to", {{"type", "string"}}},
      {"audience", audience_schema()},
      {"schedule_mode", {{"type", "string"}, {"enum", {"now", "at", "local_time", "best_time"}}}},
      {"scheduled_at", nullable("string")},
      {"local_time", nullable("string")},
      {"timezone", {{"type", "string"}}},
      {"send_now", {{"type", "boolean"}}},
      {"throttle_per_minute", {{"type", "integer"}}},
      {"track_opens", {{"type", "boolean"}}},
      {"track_clicks", {{"type", "boolean"}}},
      {"status",
       {{"type", "string"}, {"enum", {"draft", "scheduled", "sending", "paused", "completed", "cancelled", "failed"}}}},
      {"error", nullable("string")},
      {"stats", stats_schema()},
      {"rate_per_minute", {{"type", "number"}}},
      {"created_by", nullable("integer")},
      {"created_at", {{"type", "string"}}},
      {"updated_at", {{"type", "string"}}},
      {"started_at", nullable("string")},
      {"completed_at", nullable("string")}};
  json required = json::array();
  for (auto& [k, _] : props.items()) required.push_back(k);
  return {{"type", "object"}, {"properties", props}, {"required", required}};
}

json campaign_body(bool create) {
  json props = {{"name", {{"type", "string"}}},
                {"template_id", {{"type", "integer"}}},
                {"from_name", {{"type", "string"}}},
                {"from_email", {{"type", "string"}}},
                {"reply_to", {{"type", "string"}}},
                {"audience", audience_schema()},
                {"schedule_mode", {{"type", "string"}, {"enum", {"now", "at", "local_time", "best_time"}}}},
                {"scheduled_at", {{"type", "string"}, {"description", "RFC 3339; null clears it"}}},
                {"local_time", {{"type", "string"}, {"description", "HH:MM; null clears it"}}},
                {"timezone", {{"type", "string"}}},
                {"throttle_per_minute", {{"type", "integer"}}},
                {"track_opens", {{"type", "boolean"}}},
                {"track_clicks", {{"type", "boolean"}}}};
  json out = {{"type", "object"}, {"additionalProperties", false}};
  if (create) {
    props["send_now"] = {{"type", "boolean"}};
    out["required"] = {"name", "template_id", "audience"};
  }
  out["properties"] = props;
  return out;
}

json page_of(json item) {
  return {{"type", "object"},
          {"properties",
           {{"items", {{"type", "array"}, {"items", std::move(item)}}},
            {"total", {{"type", "integer"}}},
            {"page", {{"type", "integer"}}},
            {"page_size", {{"type", "integer"}}}}},
          {"required", {"items", "total", "page", "page_size"}}};
}

json recipient_schema() {
  json props = {
      {"id", {{"type", "integer"}}},
      {"lead_id", {{"type", "integer"}}},
      {"email", {{"type", "string"}}},
      {"state",
       {{"type", "string"}, {"enum", {"queued", "sending", "sent", "deferred", "failed", "skipped", "cancelled"}}}},
      {"attempts", {{"type", "integer"}}},
      {"reply_code", nullable("integer")},
      {"last_reply", nullable("string")},
      {"message_id", nullable("string")},
      {"due_at", {{"type", "string"}}},
      {"sent_at", nullable("string")},
      {"opened_at", nullable("string")},
      {"clicked_at", nullable("string")},
      {"unsubscribed_at", nullable("string")},
      {"updated_at", {{"type", "string"}}}};
  json required = json::array();
  for (auto& [k, _] : props.items()) required.push_back(k);
  return {{"type", "object"}, {"properties", props}, {"required", required}};
}

// An action takes no body, or an empty object.
json no_fields() { return {{"type", "object"}, {"additionalProperties", false}}; }

json send_answer() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}}, {"status", {{"type", "string"}}}, {"emails_queued", {{"type", "integer"}}}}},
          {"required", {"id", "status", "emails_queued"}}};
}

}  // namespace

void add_endpoints(http::Endpoints& e, Routes& r) {
  const json campaign = campaign_schema();
  e.add("campaigns.list", bind(r, &Routes::list),
        {.summary = "List campaigns with their counts, newest first",
         .tag = "campaigns",
         .response = page_of(campaign),
         .query = {{"status", "draft, scheduled, sending, paused, completed, cancelled or failed"},
                   {"page", "from 1"},
                   {"page_size", "1-200"}}});
  e.add("campaigns.create", bind(r, &Routes::create),
        {.summary = "Create a campaign (a draft); with send_now: true (campaign:send) also send it: 202 "
                    "{id, status, emails_queued}",
         .tag = "campaigns",
         .request_body = campaign_body(true),
         .response = campaign,
         .success_status = 201});
  e.add("campaigns.get", bind(r, &Routes::get),
        {.summary = "One campaign with its counts and live rate", .tag = "campaigns", .response = campaign});
  e.add("campaigns.update", bind(r, &Routes::update),
        {.summary = "Change a draft or scheduled campaign (a paused one: name and throttle only)",
         .tag = "campaigns",
         .request_body = campaign_body(false),
         .response = campaign});
  e.add("campaigns.delete", bind(r, &Routes::remove),
        {.summary = "Delete a campaign that is not scheduled, sending or paused",
         .tag = "campaigns",
         .success_status = 204});
  e.add("campaigns.send", bind(r, &Routes::send),
        {.summary = "Send a draft now or at its scheduled time; the template version is pinned when sending starts",
         .tag = "campaigns",
         .request_body = no_fields(),
         .response = send_answer(),
         .success_status = 202});
  e.add("campaigns.pause", bind(r, &Routes::pause),
        {.summary = "Pause a sending campaign (takes effect between two messages)",
         .tag = "campaigns",
         .request_body = no_fields(),
         .response = campaign});
  e.add("campaigns.resume", bind(r, &Routes::resume),
        {.summary = "Resume a paused campaign", .tag = "campaigns", .request_body = no_fields(), .response = campaign});
  e.add("campaigns.cancel", bind(r, &Routes::cancel),
        {.summary = "Cancel a scheduled, sending or paused campaign: what waits is never sent",
         .tag = "campaigns",
         .request_body = no_fields(),
         .response = campaign});
  e.add("campaigns.test", bind(r, &Routes::test),
        {.summary = "Send the campaign's message to up to 10 given addresses (never to leads), without tracking",
         .tag = "campaigns",
         .request_body = {{"type", "object"},
                          {"additionalProperties", false},
                          {"required", {"emails"}},
                          {"properties", {{"emails", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
         .response = {{"type", "object"},
                      {"properties",
                       {{"results",
                         {{"type", "array"},
                          {"items",
                           {{"type", "object"},
                            {"properties",
                             {{"email", {{"type", "string"}}},
                              {"delivered", {{"type", "boolean"}}},
                              {"detail", {{"type", "string"}}}}},
                            {"required", {"email", "delivered", "detail"}}}}}}}},
                      {"required", {"results"}}}});
  e.add("campaigns.recipients", bind(r, &Routes::recipients),
        {.summary = "A campaign's recipients with their state, attempts and the last SMTP reply",
         .tag = "campaigns",
         .response = page_of(recipient_schema()),
         .query = {{"state", "queued, sending, sent, deferred, failed, skipped or cancelled"},
                   {"page", "from 1"},
                   {"page_size", "1-200"}}});
  e.add("campaigns.timeline", bind(r, &Routes::timeline),
        {.summary = "Messages sent per minute",
         .tag = "campaigns",
         .response = {{"type", "object"},
                      {"properties",
                       {{"interval", {{"type", "string"}}},
                        {"points",
                         {{"type", "array"},
                          {"items",
                           {{"type", "object"},
                            {"properties", {{"t", {{"type", "string"}}}, {"sent", {{"type", "integer"}}}}},
                            {"required", {"t", "sent"}}}}}}}},
                      {"required", {"interval", "points"}}},
         .query = {{"minutes", "how far back, 1-10080 (default 60)"}}});
  e.add("campaigns.summary", bind(r, &Routes::summary),
        {.summary = "How many campaigns are in each status",
         .tag = "campaigns",
         .response = {
             {"type", "object"},
             {"properties", {{"by_status", {{"type", "object"}, {"additionalProperties", {{"type", "integer"}}}}}}},
             {"required", {"by_status"}}}});

  e.add("tracking.open", bind(r, &Routes::open_pixel),
        {.summary = "Open pixel: a 1x1 GIF; records an open",
         .tag = "tracking",
         .response = {{"type", "string"}, {"format", "binary"}},
         .response_content_type = "image/gif"});
  e.add("tracking.click", bind(r, &Routes::click),
        {.summary = "Click: records it and redirects (302) to the link of the message the token names",
         .tag = "tracking",
         .success_status = 302});
  e.add("tracking.unsubscribe_page", bind(r, &Routes::unsubscribe_page),
        {.summary = "Unsubscribe confirmation page (changes nothing)",
         .tag = "tracking",
         .response = {{"type", "string"}},
         .response_content_type = "text/html"});
  e.add("tracking.unsubscribe", bind(r, &Routes::unsubscribe),
        {.summary = "Unsubscribe (RFC 8058 one-click, and the confirmation form): 200, never a redirect",
         .tag = "tracking",
         .request_body = {{"type", "object"},
                          {"additionalProperties", false},
                          {"description", "usually a form: List-Unsubscribe=One-Click; a JSON body must be empty"}},
         .response = {{"type", "string"}},
         .response_content_type = "text/html"});
}

}  // namespace herald::campaigns
