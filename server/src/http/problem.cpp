#include "http/problem.hpp"

#include <nlohmann/json.hpp>

namespace herald::http {
namespace {

nlohmann::json base(int status, std::string_view title, std::string_view detail, std::string_view type_slug,
                    std::string_view instance) {
  nlohmann::json doc = {
      {"type", type_slug.empty() ? std::string("about:blank") : "urn:herald:problem:" + std::string(type_slug)},
      {"title", title},
      {"status", status},
      {"detail", detail},
  };
  if (!instance.empty()) doc["instance"] = instance;
  return doc;
}

Response finish(int status, const nlohmann::json& doc) {
  Response r = Response::json(status, doc);
  r.content_type = std::string(kProblemContentType);
  return r;
}

}  // namespace

Response problem(int status, std::string_view title, std::string_view detail, std::string_view type_slug,
                 std::string_view instance) {
  return finish(status, base(status, title, detail, type_slug, instance));
}

Response problem(int status, std::string_view title, std::string_view detail, std::string_view type_slug,
                 const nlohmann::json& extensions) {
  nlohmann::json doc = base(status, title, detail, type_slug, {});
  for (const auto& [key, value] : extensions.items()) {
    if (!doc.contains(key)) doc[key] = value;
  }
  return finish(status, doc);
}

Response problem(const Error& error, std::string_view instance) {
  nlohmann::json doc = base(error.status(), error.title(), error.what(), error.type_slug(), instance);
  if (!error.errors().empty()) {
    auto& list = doc["errors"] = nlohmann::json::array();
    for (const auto& fe : error.errors()) list.push_back({{"field", fe.field}, {"message", fe.message}});
  }
  Response r = finish(error.status(), doc);
  for (const auto& [name, value] : error.headers()) r.headers.add(name, value);
  return r;
}

}  // namespace herald::http
