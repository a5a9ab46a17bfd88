// The router: method, path template, handler and the metadata the
// middleware chain and the OpenAPI document read (permission, rate-limit
// class, body limit, where the handler runs, documentation). Herald's routes
// are listed in one table, api/routes.cpp.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/types.hpp"

namespace herald::http {

using Handler = std::function<Response(Request&)>;
// Opens the sink a streamed request body is written to (see BodySink); may
// throw an Error to refuse the upload before its body is read.
using BodySinkFactory = std::function<std::unique_ptr<BodySink>(Request&)>;
// For a Runs::Either route: true when this request may take long. Runs on
// the I/O thread before the handler, so it only looks at the request line;
// it must not throw (a bad request is the handler's to answer).
using WaitsPredicate = std::function<bool(const Request&)>;

// Who may call a route. Every route states it; a test walks the table.
struct Access {
  enum class Kind { Public, Authenticated, Permission };
  Kind kind = Kind::Permission;
  std::string permission;  // for Kind::Permission, e.g. "lead:read"

  static Access public_route() { return {Kind::Public, {}}; }
  static Access authenticated() { return {Kind::Authenticated, {}}; }
  static Access permission_required(std::string p) { return {Kind::Permission, std::move(p)}; }
};

// Which rate-limit budget a request takes its token from (per client address):
//   Api     HERALD_RATE_LIMIT, one budget for all of these routes
//   Login   the Api budget, and the handler takes one from HERALD_LOGIN_RATE_LIMIT
//           per address and email once it has read the body
//   Public  HERALD_PUBLIC_RATE_LIMIT: links in mail (tracking, unsubscribe)
//   None    never limited: liveness, readiness, /metrics
enum class RateClass { None, Api, Login, Public };
std::string_view to_string(RateClass c) noexcept;

// Which request body limit applies: HERALD_MAX_BODY, or HERALD_MAX_IMPORT.
enum class BodyLimit { Default, Import };

// Where the handler runs. Inline: on the connection's I/O thread, for
// handlers that return within about a millisecond. Pool: on the bounded pool
// of handler threads (HERALD_HANDLER_THREADS), for handlers that wait — on
// the network (SMTP, an AI provider, Redis beyond the rate limiter), on
// queries that scan or write without bound, on a flush — or burn CPU
// (password hashing); the I/O thread serves other connections meanwhile.
// Either: the endpoint's `waits` decides per request — Pool for a request
// that may take long (an exact count over a million leads), Inline for the
// rest (the same list's cached first page).
enum class Runs { Inline, Pool, Either };

struct RouteDoc {
  std::string summary;
  std::string tag;
  nlohmann::json request_body;        // OpenAPI schema of the JSON body, or null
  nlohmann::json response = nullptr;  // OpenAPI schema of the 2xx body, or null
  int success_status = 200;
  std::string response_content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> query;  // name, description
};

// The audit action of a POST that changes nothing (a preview renders what the
// body holds): the route table states it, and the audit log writes no entry
// for it (a permission denial is still recorded).
inline constexpr std::string_view kChangesNothing = "-";

struct Route {
  Method method;
  std::string path;  // template, e.g. "/api/leads/{id}"
  Handler handler;
  Access access;
  RateClass rate = RateClass::Api;
  BodyLimit body_limit = BodyLimit::Default;
  Runs runs = Runs::Inline;
  RouteDoc doc;
  // Audit action of a state-changing route, "<RESOURCE>_<PAST VERB>" (e.g. "USER_CREATED").
  std::string audit_action;  // kChangesNothing: a POST that only reads (a preview): no entry
  // Set for uploads: the body is streamed into a sink instead of being read
  // into Request::body, and `handler` is not called.
  BodySinkFactory body_sink;
  // Runs::Either: whether a request goes to the handler threads.
  WaitsPredicate waits;

  // Split template: literal segments, and "{name}" parameters.
  std::vector<std::string> segments;
  // Position in Router::routes(): an index for per-route tables (metrics).
  std::size_t index = 0;
};

struct Match {
  const Route* route = nullptr;
  std::vector<std::pair<std::string_view, std::string>> params;
  // When the path exists but not for this method: the methods it has.
  std::vector<Method> allowed;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

class Router {
 public:
  // Adds a route; throws std::logic_error on a duplicate method+path or a malformed template.
  Route& add(Method method, std::string path, Handler handler, Access access, RouteDoc doc = {});

  Match match(Method method, std::string_view path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const noexcept { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
  // Routes without parameters, by exact path (the hot path: health, /metrics).
  std::unordered_map<std::string, std::vector<const Route*>, StringHash, std::equal_to<>> static_routes_;
  std::vector<const Route*> param_routes_;
};

// "Allow" header value for a method list, e.g. "GET, HEAD, POST".
std::string allow_header(const std::vector<Method>& methods);

}  // namespace herald::http
