// The analytics domain's handlers the route table names, with their OpenAPI
// descriptions (the web client's types are generated from them).
#include "analytics/routes.hpp"

namespace herald::analytics {
namespace {

using http::bind;
using nlohmann::json;

json integer() { return {{"type", "integer"}}; }

json rates_schema() {
  json props = json::object();
  for (auto k : {"delivery", "open", "click", "reply", "bounce", "unsubscribe"}) props[k] = {{"type", "number"}};
  return {{"type", "object"},
          {"properties", props},
          {"required", json::array({"delivery", "open", "click", "reply", "bounce", "unsubscribe"})}};
}

json counts_props() {
  json props = json::object();
  for (auto k : {"sent", "delivered", "opened", "clicked", "replied", "bounced", "unsubscribed", "rejected",
                 "human_opened", "opens", "human_opens", "clicks"})
    props[k] = integer();
  return props;
}

json counts_required() {
  return json::array({"sent", "delivered", "opened", "clicked", "replied", "bounced", "unsubscribed"});
}

json overview_schema() {
  json prev = counts_props();
  prev["from"] = {{"type", "string"}};
  prev["to"] = {{"type", "string"}};
  prev["leads"] = {{"type", "object"}, {"properties", {{"new", integer()}}}, {"required", {"new"}}};
  prev["rates"] = rates_schema();
  json props = counts_props();
  props["from"] = {{"type", "string"}};
  props["to"] = {{"type", "string"}};
  props["leads"] = {
      {"type", "object"}, {"properties", {{"total", integer()}, {"new", integer()}}}, {"required", {"total", "new"}}};
  props["campaigns_active"] = integer();
  props["rates"] = rates_schema();
  auto prev_required = counts_required();
  for (auto k : {"from", "to", "leads", "rates"}) prev_required.push_back(k);
  props["previous"] = {{"type", "object"}, {"properties", prev}, {"required", prev_required}};
  auto required = counts_required();
  for (auto k : {"from", "to", "leads", "campaigns_active", "rates", "previous"}) required.push_back(k);
  return {{"type", "object"}, {"properties", props}, {"required", required}};
}

json series_schema() {
  return {{"type", "object"},
          {"properties",
           {{"metric", {{"type", "string"}}},
            {"interval", {{"type", "string"}, {"enum", {"hour", "day"}}}},
            {"tz", {{"type", "string"}}},
            {"points",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties", {{"t", {{"type", "string"}}}, {"value", integer()}}},
                {"required", {"t", "value"}}}}}}}},
          {"required", {"metric", "interval", "tz", "points"}}};
}

json campaign_schema() {
  return {{"type", "object"},
          {"properties",
           {{"campaign_id", integer()},
            {"name", {{"type", "string"}}},
            {"funnel", {{"type", "object"}, {"properties", counts_props()}, {"required", counts_required()}}},
            {"rates", rates_schema()},
            {"top_links",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties", {{"url", {{"type", "string"}}}, {"clicks", integer()}, {"unique_clicks", integer()}}},
                {"required", {"url", "clicks", "unique_clicks"}}}}}},
            {"timeseries",
             {{"type", "object"},
              {"properties",
               {{"interval", {{"type", "string"}}},
                {"tz", {{"type", "string"}}},
                {"points",
                 {{"type", "array"},
                  {"items",
                   {{"type", "object"},
                    {"properties",
                     {{"t", {{"type", "string"}}}, {"sent", integer()}, {"opened", integer()}, {"clicked", integer()}}},
                    {"required", {"t", "sent", "opened", "clicked"}}}}}}}},
              {"required", {"interval", "tz", "points"}}}}}},
          {"required", {"campaign_id", "name", "funnel", "rates", "top_links", "timeseries"}}};
}

const std::pair<std::string, std::string> kFormat{"format", "json (default) or csv (a download)"};
const std::pair<std::string, std::string> kFrom{"from", "RFC 3339 UTC time or YYYY-MM-DD (default: to minus 30 days)"};
const std::pair<std::string, std::string> kTo{"to", "RFC 3339 UTC time or YYYY-MM-DD, exclusive (default: now)"};

}  // namespace

void add_endpoints(http::Endpoints& e, Routes& r) {
  e.add("analytics.overview", bind(r, &Routes::overview),
        {.summary = "Leads, active campaigns, sends and rates (fractions of sent) of a period and of the one before",
         .tag = "analytics",
         .response = overview_schema(),
         .query = {kFrom, kTo, kFormat}});
  e.add("analytics.campaign", bind(r, &Routes::campaign),
        {.summary = "A campaign's funnel, rates, most clicked links and time series",
         .tag = "analytics",
         .response = campaign_schema(),
         .query = {{"interval", "hour or day (default)"}, {"tz", "IANA time zone (default UTC)"}, kFormat}});
  e.add("analytics.timeseries", bind(r, &Routes::timeseries),
        {.summary = "One metric per hour or per local day in a time zone, for every campaign or one",
         .tag = "analytics",
         .response = series_schema(),
         .query = {{"metric",
                    "sent, delivered, bounced, rejected, opens, human_opens, opened, human_opened, clicks, clicked, "
                    "unsubscribed or replied"},
                   {"interval", "hour or day (default)"},
                   kFrom,
                   kTo,
                   {"campaign_id", "one campaign (default: all)"},
                   {"tz", "IANA time zone (default UTC)"},
                   kFormat}});
}

}  // namespace herald::analytics
