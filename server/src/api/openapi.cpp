#include "api/openapi.hpp"

#include <cctype>

namespace herald::api {
namespace {

std::string method_key(http::Method m) {
  std::string s(http::to_string(m));
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "GET /api/leads/{id}" -> "getApiLeadsById"
std::string operation_id(const http::Route& r) {
  std::string id = method_key(r.method);
  bool upper = true;
  for (std::size_t i = 1; i < r.path.size(); ++i) {
    char c = r.path[i];
    if (c == '{') {
      id += "By";
      upper = true;
      continue;
    }
    if (c == '/' || c == '}' || c == '-' || c == '_' || c == '.') {
      upper = true;
      continue;
    }
    id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return id;
}

nlohmann::json problem_ref(const std::string& description) {
  return {{"description", description},
          {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

nlohmann::json operation(const http::Route& r) {
  nlohmann::json op = {{"operationId", operation_id(r)}};
  if (!r.doc.summary.empty()) op["summary"] = r.doc.summary;
  if (!r.doc.tag.empty()) op["tags"] = {r.doc.tag};

  nlohmann::json params = nlohmann::json::array();
  for (const auto& name : path_parameters(r.path))
    params.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
  for (const auto& [name, description] : r.doc.query)
    params.push_back({{"name", name}, {"in", "query"}, {"description", description}, {"schema", {{"type", "string"}}}});
  if (!params.empty()) op["parameters"] = params;

  if (!r.doc.request_body.is_null())
    op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", r.doc.request_body}}}}}};
  if (r.body_sink) {
    // A streamed upload: the file as the body, or as a browser's form.
    nlohmann::json file = {{"type", "string"}, {"format", "binary"}};
    op["requestBody"] = {
        {"required", true},
        {"content",
         {{"text/csv", {{"schema", {{"type", "string"}}}}},
          {"multipart/form-data", {{"schema", {{"type", "object"}, {"properties", {{"file", file}}}}}}}}}};
  }

  nlohmann::json success = {{"description", "Success"}};
  if (!r.doc.response.is_null()) success["content"] = {{r.doc.response_content_type, {{"schema", r.doc.response}}}};
  nlohmann::json responses = {{std::to_string(r.doc.success_status), success}};
  responses["400"] = problem_ref("Malformed request");
  responses["429"] = problem_ref("Rate limit exceeded");
  switch (r.access.kind) {
    case http::Access::Kind::Public:
      op["security"] = nlohmann::json::array();
      break;
    case http::Access::Kind::Permission:
      op["x-permission"] = r.access.permission;
      responses["403"] = problem_ref("Missing permission " + r.access.permission);
      [[fallthrough]];
    case http::Access::Kind::Authenticated:
      op["security"] = {{{"bearerAuth", nlohmann::json::array()}}};
      responses["401"] = problem_ref("Missing or invalid credentials");
      break;
  }
  if (!r.doc.request_body.is_null() || r.body_sink) responses["422"] = problem_ref("Invalid fields");
  if (r.body_sink) responses["413"] = problem_ref("The upload is larger than the limit");
  if (!path_parameters(r.path).empty()) responses["404"] = problem_ref("Not found");
  op["responses"] = responses;
  return op;
}

}  // namespace

std::vector<std::string> path_parameters(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = path.find('{', pos)) != std::string::npos) {
    auto end = path.find('}', pos);
    if (end == std::string::npos) break;
    out.push_back(path.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return out;
}

nlohmann::json build_openapi(const http::Router& router, const std::string& version) {
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& r : router.routes()) paths[r->path][method_key(r->method)] = operation(*r);
  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Herald API"},
        {"version", version},
        {"description", "Self-hosted outreach platform. Errors are RFC 9457 problem documents."}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes",
         {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT or hk_ API key"}}}}},
        {"schemas",
         {{"Problem",
           {{"type", "object"},
            {"required", {"type", "title", "status"}},
            {"properties",
             {{"type", {{"type", "string"}}},
              {"title", {{"type", "string"}}},
              {"status", {{"type", "integer"}}},
              {"detail", {{"type", "string"}}},
              {"instance", {{"type", "string"}}},
              {"errors",
               {{"type", "array"},
                {"items",
                 {{"type", "object"},
                  {"properties", {{"field", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}}}}}}}},
  };
}

}  // namespace herald::api
