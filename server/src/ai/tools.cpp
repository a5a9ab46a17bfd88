#include "ai/tools.hpp"

#include <fmt/format.h>

#include "ai/prompts.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"

namespace herald::ai {
namespace {

using nlohmann::json;

json function(const char* name, const char* description, json properties, json required = json::array()) {
  return {{"type", "function"},
          {"function",
           {{"name", name},
            {"description", description},
            {"parameters",
             {{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}}}}}};
}

const char* permission_of(std::string_view tool) {
  if (tool == "count_leads" || tool == "search_leads") return "lead:read";
  if (tool == "list_campaigns") return "campaign:read";
  if (tool == "campaign_stats" || tool == "analytics_overview") return "analytics:read";
  return nullptr;
}

std::string str_arg(const json& args, const char* key) {
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  throw ValidationError(key, "must be a string");
}

void add_param(std::string& query, const char* key, const std::string& value) {
  if (value.empty()) return;
  if (!query.empty()) query += '&';
  query += key;
  query += '=';
  query += query_escape(value);
}

json campaign_brief(const json& c) {
  json out = {{"id", c.value("id", json())}, {"name", c.value("name", json())}, {"status", c.value("status", json())}};
  if (c.contains("stats")) out["stats"] = c["stats"];
  if (c.contains("scheduled_at")) out["scheduled_at"] = c["scheduled_at"];
  return out;
}

}  // namespace

std::string query_escape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

json Tools::definitions() {
  json tools = json::array();
  tools.push_back(function(
      "count_leads", "Count the user's leads, optionally by status and/or tag.",
      {{"status", {{"type", "string"}, {"description", "new, contacted, replied, converted, unsubscribed, bounced"}}},
       {"tag", {{"type", "string"}}}}));
  tools.push_back(function("search_leads", "Find leads by name, company or title (at most 10).",
                           {{"q", {{"type", "string"}}}, {"limit", {{"type", "integer"}}}}, json::array({"q"})));
  tools.push_back(function(
      "list_campaigns", "List campaigns (newest first) with their status and counts.",
      {{"status",
        {{"type", "string"}, {"description", "draft, scheduled, sending, paused, completed, cancelled, failed"}}}}));
  tools.push_back(function("campaign_stats", "One campaign's results: sent, opened, clicked, replied, rates.",
                           {{"id", {{"type", "integer"}}}}, json::array({"id"})));
  tools.push_back(function("analytics_overview",
                           "Totals and rates over a period (RFC 3339 dates; default the last 30 days).",
                           {{"from", {{"type", "string"}}}, {"to", {{"type", "string"}}}}));
  return tools;
}

json Tools::call_endpoint(const std::string& handler, const std::string& path, const std::string& query,
                          const std::string& id_param, const http::Principal& who,
                          const std::string& request_id) const {
  const auto* endpoint = endpoints_.find(handler);
  if (endpoint == nullptr || !endpoint->handler) throw std::logic_error("no handler " + handler);
  http::Request req;
  req.method = http::Method::Get;
  req.method_text = "GET";
  req.path = path;
  req.query = query;
  req.target = query.empty() ? path : path + "?" + query;
  req.request_id = request_id;
  req.principal = std::make_shared<const http::Principal>(who);
  if (!id_param.empty()) req.path_params.emplace_back("id", id_param);
  auto res = endpoint->handler(req);
  auto doc = json::parse(res.body, nullptr, false);
  if (res.status != 200 || doc.is_discarded()) {
    return {{"error", doc.is_object() ? doc.value("detail", "the query failed") : std::string("the query failed")}};
  }
  return doc;
}

ToolOutcome Tools::run(const ToolCall& call, const http::Principal& who, const std::string& request_id) const {
  ToolOutcome out;
  out.name = call.name;
  out.arguments = json::parse(call.arguments.empty() ? "{}" : call.arguments, nullptr, false);
  const char* permission = permission_of(call.name);
  if (permission == nullptr) {
    out.summary = "unknown tool " + call.name;
    out.result = {{"error", "there is no tool named " + call.name}};
    return out;
  }
  if (out.arguments.is_discarded() || !out.arguments.is_object()) {
    out.arguments = call.arguments;
    out.summary = call.name + ": unreadable arguments";
    out.result = {{"error", "the arguments must be a JSON object"}};
    return out;
  }
  if (!who.has(permission)) {
    out.refused = true;
    out.summary = fmt::format("{}: not permitted ({} needed)", call.name, permission);
    out.result = {
        {"refused", fmt::format("The user lacks the permission {}; do not reveal or guess this data.", permission)}};
    return out;
  }
  const auto& args = out.arguments;
  try {
    if (call.name == "count_leads") {
      std::string q = "page_size=1&count=exact";
      add_param(q, "status", str_arg(args, "status"));
      add_param(q, "tag", str_arg(args, "tag"));
      auto doc = call_endpoint("leads.list", "/api/leads", q, "", who, request_id);
      if (doc.contains("error")) {
        out.result = doc;
      } else {
        out.result = {{"total", doc.value("total", json())}};
      }
      out.summary = doc.contains("error") ? "count_leads: " + doc["error"].get<std::string>()
                                          : fmt::format("counted {} leads", doc.value("total", json()).dump());
    } else if (call.name == "search_leads") {
      std::int64_t limit = 5;
      if (auto it = args.find("limit"); it != args.end() && it->is_number_integer()) {
        limit = std::clamp<std::int64_t>(it->get<std::int64_t>(), 1, 10);
      }
      std::string q = fmt::format("page_size={}", limit);
      add_param(q, "q", str_arg(args, "q"));
      auto doc = call_endpoint("leads.list", "/api/leads", q, "", who, request_id);
      if (doc.contains("error")) {
        out.result = doc;
        out.summary = "search_leads: " + doc["error"].get<std::string>();
      } else {
        json items = json::array();
        for (const auto& l : doc.value("items", json::array())) {
          auto brief = lead_for_prompt(l);
          brief["id"] = l.value("id", json());
          items.push_back(std::move(brief));
        }
        out.summary = fmt::format("found {} leads", items.size());
        out.result = {{"leads", std::move(items)}, {"total", doc.value("total", json())}};
      }
    } else if (call.name == "list_campaigns") {
      std::string q = "page_size=20";
      add_param(q, "status", str_arg(args, "status"));
      auto doc = call_endpoint("campaigns.list", "/api/campaigns", q, "", who, request_id);
      if (doc.contains("error")) {
        out.result = doc;
        out.summary = "list_campaigns: " + doc["error"].get<std::string>();
      } else {
        json items = json::array();
        for (const auto& c : doc.value("items", json::array())) items.push_back(campaign_brief(c));
        out.summary = fmt::format("listed {} campaigns", items.size());
        out.result = {{"campaigns", std::move(items)}, {"total", doc.value("total", json())}};
      }
    } else if (call.name == "campaign_stats") {
      const auto id = str_arg(args, "id");
      if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
        throw ValidationError("id", "must be a campaign id");
      }
      auto doc = call_endpoint("analytics.campaign", "/api/analytics/campaigns/" + id, "", id, who, request_id);
      if (doc.is_object()) doc.erase("timeseries");  // the totals answer questions; the series only costs tokens
      out.result = doc;
      out.summary = doc.contains("error") ? "campaign_stats: " + doc["error"].get<std::string>()
                                          : "read campaign " + id + "'s results";
    } else {  // analytics_overview
      std::string q;
      add_param(q, "from", str_arg(args, "from"));
      add_param(q, "to", str_arg(args, "to"));
      auto doc = call_endpoint("analytics.overview", "/api/analytics/overview", q, "", who, request_id);
      out.result = doc;
      out.summary = doc.contains("error") ? "analytics_overview: " + doc["error"].get<std::string>()
                                          : "read the analytics overview";
    }
  } catch (const Error& e) {
    std::string detail = e.what();
    for (const auto& f : e.errors()) detail += "; " + f.field + " " + f.message;
    out.result = {{"error", detail}};
    out.summary = call.name + ": " + detail;
  }
  // A tool answer stays small: the model needs facts, not pages.
  if (out.result.dump().size() > 16000) out.result = {{"error", "the result was too large; ask a narrower question"}};
  return out;
}

}  // namespace herald::ai
