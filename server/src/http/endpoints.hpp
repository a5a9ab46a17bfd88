// What a domain offers the route table: its handlers by name, each with its
// OpenAPI description. A domain adds them in its endpoints.cpp; the route
// table (api/routes.cpp) gives each name its method, path, access, rate
// class, body limit, thread and audit action. Start-up fails when a route
// names a handler nobody added, or a handler is on no route.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/router.hpp"

namespace herald::http {

struct Endpoint {
  Handler handler;       // a request with its body read
  BodySinkFactory sink;  // or an upload streamed into a sink
  RouteDoc doc;
};

class Endpoints {
 public:
  // Names are "<domain>.<action>" ("leads.list"). Throws std::logic_error on
  // a name added twice or a description without a summary or tag.
  void add(std::string name, Handler handler, RouteDoc doc);
  void add_upload(std::string name, BodySinkFactory sink, RouteDoc doc);

  const Endpoint* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  void insert(std::string name, Endpoint endpoint);
  std::map<std::string, Endpoint, std::less<>> endpoints_;
};

// Binds a handler object's member function.
template <typename T>
Handler bind(T& object, Response (T::*fn)(Request&)) {
  return [&object, fn](Request& req) { return (object.*fn)(req); };
}
template <typename T>
BodySinkFactory bind_sink(T& object, std::unique_ptr<BodySink> (T::*fn)(Request&)) {
  return [&object, fn](Request& req) { return (object.*fn)(req); };
}

// {"type": "object", "properties": {name: {"type": type}, …}} for a RouteDoc.
nlohmann::json object_schema(std::initializer_list<std::pair<const char*, const char*>> properties);

}  // namespace herald::http
