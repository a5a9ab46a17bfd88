// The ai domain's provider handlers the route table names, with their OpenAPI descriptions.
#include "http/endpoints.hpp"
#include "ai/routes.hpp"

namespace herald::ai {

void add_endpoints(http::Endpoints& e, Routes& r) {
  using http::bind;
  using http::object_schema;
  const auto usage =
      object_schema({{"prompt_tokens", "integer"}, {"completion_tokens", "integer"}, {"total_tokens", "integer"}});
  auto draft_in = object_schema({{"brief", "string"},
                                 {"tone", "string"},
                                 {"length", "string"},
                                 {"lead_id", "integer"},
                                 {"template_id", "integer"},
                                 {"stream", "boolean"}});
  draft_in["required"] = {"brief"};
  auto draft_out =
      object_schema({{"subject", "string"}, {"html", "string"}, {"text", "string"}, {"removed_tags", "array"}});
  draft_out["properties"]["usage"] = usage;
  const auto subjects_in = object_schema({{"brief", "string"}, {"template_id", "integer"}, {"count", "integer"}});
  auto candidate = object_schema({{"subject", "string"}, {"analysis", "object"}});
  auto subjects_out = object_schema({{"candidates", "array"}});
  subjects_out["properties"]["candidates"]["items"] = candidate;
  subjects_out["properties"]["usage"] = usage;
  const nlohmann::json message = object_schema({{"role", "string"}, {"content", "string"}});
  nlohmann::json chat_in = {{"type", "object"},
                            {"required", {"messages"}},
                            {"properties", {{"messages", {{"type", "array"}, {"items", message}}}}}};

  e.add("ai.draft", bind(r, &Routes::draft),
        {.summary = "Draft an e-mail with the AI provider: {subject, html, text} with known merge tags and "
                    "sanitised HTML; with stream: true (or Accept: text/event-stream) Server-Sent Events "
                    "delta {text} …, draft {subject, html, text}, done {usage} (or error {problem})",
         .tag = "ai",
         .request_body = draft_in,
         .response = draft_out});
  e.add("ai.subject_lines", bind(r, &Routes::subject_lines),
        {.summary = "Subject-line candidates (1-10) from the AI provider for a brief or a template",
         .tag = "ai",
         .request_body = subjects_in,
         .response = subjects_out});
  e.add("ai.chat", bind(r, &Routes::chat),
        {.summary = "The assistant: a Server-Sent Events answer (delta {text}, tool {name, arguments, summary}, "
                    "done {usage}, error {problem}) about the user's leads, campaigns and results, looked up "
                    "with the user's permissions",
         .tag = "ai",
         .request_body = chat_in,
         .response_content_type = "text/event-stream"});
}

}  // namespace herald::ai
