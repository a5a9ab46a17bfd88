// The built-in AI tools' handlers the route table names, with their OpenAPI
// descriptions (the web client's types are generated from them).
#include "advisor/routes.hpp"

namespace herald::advisor {
namespace {

using http::bind;
using nlohmann::json;

json analysis_schema() {
  json finding = {{"type", "object"},
                  {"properties",
                   {{"rule", {{"type", "string"}}},
                    {"severity", {{"type", "string"}, {"enum", {"info", "warning", "error"}}}},
                    {"message", {{"type", "string"}}}}},
                  {"required", {"rule", "severity", "message"}}};
  json strings = {{"type", "array"}, {"items", {{"type", "string"}}}};
  json facts = {{"type", "object"},
                {"properties",
                 {{"subject_length", {{"type", "integer"}}},
                  {"word_count", {{"type", "integer"}}},
                  {"link_count", {{"type", "integer"}}},
                  {"image_count", {{"type", "integer"}}},
                  {"words_per_link", {{"type", "number"}}},
                  {"text_image_ratio", {{"type", "number"}}},
                  {"readability_grade", {{"type", "number"}}},
                  {"has_unsubscribe", {{"type", "boolean"}}},
                  {"personalised", {{"type", "boolean"}}},
                  {"merge_tags", strings},
                  {"unknown_merge_tags", strings}}},
                {"required",
                 {"subject_length", "word_count", "link_count", "image_count", "words_per_link", "text_image_ratio",
                  "readability_grade", "has_unsubscribe", "personalised", "merge_tags", "unknown_merge_tags"}}};
  return {{"type", "object"},
          {"properties",
           {{"score", {{"type", "integer"}, {"minimum", 0}, {"maximum", 100}}},
            {"findings", {{"type", "array"}, {"items", finding}}},
            {"facts", facts}}},
          {"required", {"score", "findings", "facts"}}};
}

json score_job_schema() {
  json result = {{"type", {"object", "null"}},
                 {"properties",
                  {{"model", {{"type", "string"}, {"enum", {"logistic", "rules"}}}},
                   {"leads_scored", {{"type", "integer"}}},
                   {"auc", {{"type", "number"}}},
                   {"rules_auc", {{"type", {"number", "null"}}}},
                   {"labelled", {{"type", "integer"}}},
                   {"positives", {{"type", "integer"}}},
                   {"reason", {{"type", "string"}}}}},
                 {"required", {"model", "leads_scored", "labelled", "positives", "reason"}}};
  return {{"type", "object"},
          {"properties",
           {{"job_id", {{"type", "string"}}},
            {"status", {{"type", "string"}}},
            {"percent", {{"type", "integer"}}},
            {"detail", json::object()},
            {"result", result},
            {"error", {{"type", {"string", "null"}}}}}},
          {"required", {"job_id", "status", "percent", "result", "error"}}};
}

json send_times_schema() {
  json row = {{"type", "array"}, {"items", {{"type", "integer"}}}, {"minItems", 24}, {"maxItems", 24}};
  return {{"type", "object"},
          {"properties",
           {{"level", {{"type", "string"}, {"enum", {"lead", "segment", "global"}}}},
            {"events", {{"type", "integer"}}},
            {"best",
             {{"type", "object"},
              {"properties",
               {{"day", {{"type", "integer"}, {"minimum", 0}, {"maximum", 6}}},
                {"hour", {{"type", "integer"}, {"minimum", 0}, {"maximum", 23}}}}},
              {"required", {"day", "hour"}}}},
            {"tz", {{"type", "string"}}},
            {"histogram", {{"type", "array"}, {"items", row}, {"minItems", 7}, {"maxItems", 7}}},
            {"min_events", {{"type", "integer"}}}}},
          {"required", {"level", "events", "best", "tz", "histogram", "min_events"}}};
}

}  // namespace

void add_endpoints(http::Endpoints& e, Routes& r) {
  e.add("advisor.analyze", bind(r, &Routes::analyze),
        {.summary = "Check a message (no AI provider needed): a 0-100 score, findings (spam-trigger wording, subject "
                    "length, capitals and punctuation, links, images, unsubscribe link, unknown merge tags, "
                    "readability, personalisation) and the measured facts",
         .tag = "ai",
         .request_body = http::object_schema({{"subject", "string"}, {"html", "string"}, {"text", "string"}}),
         .response = analysis_schema()});
  e.add("advisor.score_leads", bind(r, &Routes::score_leads),
        {.summary = "Score every lead (0-100, with its top reasons) from this install's history: a logistic regression "
                    "checked on held-out leads, or a rule-based score when there is too little history. Runs as a "
                    "job; follow it at /api/ai/score-leads/{job_id}",
         .tag = "ai",
         .request_body = {{"type", "object"}},
         .response = http::object_schema({{"job_id", "string"}, {"status", "string"}}),
         .success_status = 202});
  e.add("advisor.score_leads_status", bind(r, &Routes::score_leads_status),
        {.summary = "A lead-scoring job: status, progress and, once completed, {model, leads_scored, auc}",
         .tag = "ai",
         .response = score_job_schema()});
  e.add("advisor.send_times", bind(r, &Routes::send_times),
        {.summary = "The best hour of the week to send (no AI provider needed), from past opens and replies: the "
                    "lead's own when it has at least min_events, else the segment's (when segment_id is given), else "
                    "everyone's; hours on the lead's clock when it has a time zone, else UTC; day 0 is Monday; with "
                    "no events at all Tuesday 10:00",
         .tag = "ai",
         .response = send_times_schema(),
         .query = {{"lead_id", "a lead: its own history first"},
                   {"segment_id", "a saved segment: its members' history (after the lead's)"}}});
}

}  // namespace herald::advisor
