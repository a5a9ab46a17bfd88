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
}

}  // namespace herald::advisor
