// The templates domain's handlers the route table names, with their OpenAPI descriptions.
#include "http/endpoints.hpp"
#include "templates/routes.hpp"

namespace herald::templates {

void add_endpoints(http::Endpoints& e, Routes& r) {
  using http::bind;
  using http::object_schema;
  const auto tmpl = object_schema({{"id", "integer"},
                                   {"name", "string"},
                                   {"subject", "string"},
                                   {"html", "string"},
                                   {"text", "string"},
                                   {"text_generated", "boolean"},
                                   {"version", "integer"},
                                   {"created_at", "string"},
                                   {"updated_at", "string"}});
  auto page = object_schema({{"items", "array"}, {"total", "integer"}, {"page", "integer"}, {"page_size", "integer"}});
  page["properties"]["items"]["items"] = tmpl;
  const auto body = object_schema({{"name", "string"}, {"subject", "string"}, {"html", "string"}, {"text", "string"}});
  const auto rendered = object_schema({{"subject", "string"}, {"html", "string"}, {"text", "string"}});

  e.add("templates.list", bind(r, &Routes::list),
        {.summary = "List templates, most recently changed first",
         .tag = "templates",
         .response = page,
         .query = {{"q", "search in name and subject"}, {"page", "from 1"}, {"page_size", "1-200"}}});
  e.add("templates.create", bind(r, &Routes::create),
        {.summary = "Create a template (Mustache; text generated from html when empty)",
         .tag = "templates",
         .request_body = body,
         .response = tmpl,
         .success_status = 201});
  e.add("templates.get", bind(r, &Routes::get), {.summary = "One template", .tag = "templates", .response = tmpl});
  e.add("templates.update", bind(r, &Routes::update),
        {.summary = "Change a template: a new version when the content changes",
         .tag = "templates",
         .request_body = body,
         .response = tmpl});
  e.add("templates.delete", bind(r, &Routes::remove),
        {.summary = "Delete a template (versions campaigns used are kept)", .tag = "templates", .success_status = 204});
  e.add("templates.preview", bind(r, &Routes::preview),
        {.summary = "Render the template for a lead (a sample lead without lead_id)",
         .tag = "templates",
         .request_body = object_schema({{"lead_id", "integer"}}),
         .response = rendered});
  e.add("templates.preview_draft", bind(r, &Routes::preview_draft),
        {.summary = "Render unsaved template content for a lead (a sample lead without lead_id)",
         .tag = "templates",
         .request_body =
             object_schema({{"subject", "string"}, {"html", "string"}, {"text", "string"}, {"lead_id", "integer"}}),
         .response = rendered});
  e.add("templates.test", bind(r, &Routes::test),
        {.summary = "Send the template, rendered for a lead (the sample lead without lead_id), as a '[Test]' message "
                    "to up to 10 given addresses (never to the lead) through the mail transport",
         .tag = "templates",
         .request_body = {{"type", "object"},
                          {"additionalProperties", false},
                          {"required", {"emails"}},
                          {"properties",
                           {{"emails", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                            {"lead_id", {{"type", "integer"}}}}}},
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
}

}  // namespace herald::templates
