#include "http/endpoints.hpp"

#include <stdexcept>

namespace herald::http {

void Endpoints::add(std::string name, Handler handler, RouteDoc doc) {
  insert(std::move(name), Endpoint{std::move(handler), nullptr, std::move(doc)});
}

void Endpoints::add_upload(std::string name, BodySinkFactory sink, RouteDoc doc) {
  insert(std::move(name), Endpoint{nullptr, std::move(sink), std::move(doc)});
}

void Endpoints::insert(std::string name, Endpoint endpoint) {
  if (endpoint.doc.summary.empty() || endpoint.doc.tag.empty())
    throw std::logic_error("endpoint " + name + " has no summary or tag for the API description");
  if (!endpoints_.emplace(name, std::move(endpoint)).second)
    throw std::logic_error("endpoint " + name + " is added twice");
}

const Endpoint* Endpoints::find(std::string_view name) const {
  auto it = endpoints_.find(name);
  return it == endpoints_.end() ? nullptr : &it->second;
}

std::vector<std::string> Endpoints::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : endpoints_) out.push_back(name);
  return out;
}

nlohmann::json object_schema(std::initializer_list<std::pair<const char*, const char*>> properties) {
  nlohmann::json s = {{"type", "object"}, {"properties", nlohmann::json::object()}};
  for (auto [name, type] : properties) s["properties"][name] = {{"type", type}};
  return s;
}

}  // namespace herald::http
