// The route table: every route Herald serves, one line each, in
// api/routes.cpp. A domain adds its handlers by name with their OpenAPI
// description (its endpoints.cpp); the table binds each name to a method
// and path, who may call it, its rate-limit class, its body limit, the
// thread it runs on and, for a route that changes something, its audit
// action.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/endpoints.hpp"
#include "http/router.hpp"

namespace herald::api {

// Who may call a route: a permission ("lead:read"), kAnyone or kSignedIn.
struct Who {
  Who(const char* permission) : access(http::Access::permission_required(permission)) {}  // NOLINT: a table cell
  Who(http::Access a) : access(std::move(a)) {}                                           // NOLINT: a table cell
  http::Access access;
};
inline const Who kAnyone{http::Access::public_route()};
inline const Who kSignedIn{http::Access::authenticated()};

struct RouteSpec {
  // Every column is required: a route states each of its properties.
  RouteSpec(http::Method method, std::string_view path, std::string_view handler, Who who, http::RateClass rate,
            http::BodyLimit body, http::Runs runs, std::string_view audit)
      : method(method),
        path(path),
        handler(handler),
        access(std::move(who.access)),
        rate(rate),
        body(body),
        runs(runs),
        audit(audit) {}

  http::Method method;
  std::string path;
  std::string handler;  // the name a domain's endpoints.cpp added
  http::Access access;
  http::RateClass rate;
  http::BodyLimit body;
  http::Runs runs;
  std::string audit;  // "<RESOURCE>_<PAST VERB>" for a state-changing route, else empty
};

const std::vector<RouteSpec>& route_table();

// Adds every route of the table to `router`, bound to the endpoint of its
// name, and GET /api/openapi.json (the endpoint "api.openapi", built from
// the router). Throws std::logic_error, which stops start-up, for a route
// naming a handler nobody added, a handler on no route or on two, a route
// that changes something without an audit action, or one that changes
// nothing with one.
void mount(http::Router& router, http::Endpoints& endpoints, const std::string& version);

}  // namespace herald::api
