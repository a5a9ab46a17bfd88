// The middleware chain, in order (outermost first):
//
//   request id → client address → framing (http/framing.hpp) → trusted host
//   → CORS → route → rate limit (the route's class) → body size limit
//   → [transport reads the body] → authorisation → handler
//
// or, for a route that streams its body (uploads):
//
//   … → body size limit → authorisation → open sink → [body, piece by piece,
//   into the sink] → sink's answer
//
// and on every response, errors included: rate-limit fields, CORS headers,
// security headers, X-Request-ID, the request monitor (metrics, and an error
// report for a 5xx), one access-log line.
//
// Everything that needs only the request head runs before the body is read,
// so a refused request never costs its body.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "http/middleware/client_ip.hpp"
#include "http/middleware/cors.hpp"
#include "http/middleware/rate_limit.hpp"
#include "http/middleware/trusted_host.hpp"
#include "http/monitor.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "http/types.hpp"

namespace herald::http {

// Checks a request's credentials against its route's Access before the
// handler runs; throws Unauthorized (401) or Forbidden (403).
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  virtual void authorize(Request& req, const Access& access) = 0;
};

// Sees every finished request (the audit log hooks in here).
class ResponseObserver {
 public:
  virtual ~ResponseObserver() = default;
  virtual void observe(const Request& req, const Response& resp) = 0;
};

struct PipelineSettings {
  std::vector<std::string> cors_origins;
  std::vector<std::string> trusted_hosts;
  std::vector<std::string> trusted_proxies;
  RatePolicy api_rate{"api", 600, std::chrono::seconds(60)};
  RatePolicy public_rate{"public", 6000, std::chrono::seconds(60)};
  std::uint64_t max_body = 1ull << 20;
  std::uint64_t max_import = 1ull << 30;
  bool access_log = true;

  static PipelineSettings from(const Config& config);
};

class Pipeline {
 public:
  Pipeline(PipelineSettings settings, const Router& router, RateLimiter& limiter, StaticFiles& static_files);

  void set_authorizer(Authorizer* a) noexcept { authorizer_ = a; }
  void add_observer(ResponseObserver* o) { observers_.push_back(o); }
  // Request metrics and error reports; attached to the router's routes here.
  void set_monitor(RequestMonitor* m);

  // Phase 1, request head only. A response means: answer now, do not read the body.
  std::optional<Response> on_headers(Request& req);
  // The body limit for this request (valid after on_headers).
  std::uint64_t body_limit(const Request& req) const noexcept;
  // Phase 2, body read: authorisation and the handler (or static files).
  Response dispatch(Request& req);

  // Phase 2 for routes that stream their body into a sink (Route::body_sink),
  // before any body byte is read: authorisation, then the route opens its
  // sink. A response means refuse (the sink stays empty).
  std::optional<Response> open_sink(Request& req, std::unique_ptr<BodySink>& sink);
  // One piece of the body; a response means the sink failed and the upload stops.
  std::optional<Response> feed(Request& req, BodySink& sink, std::string_view chunk);
  // The whole body was written: the sink's answer.
  Response finish_sink(Request& req, BodySink& sink);
  // Phase 3, every response: headers and the access log line.
  void finish(Request& req, Response& resp, std::chrono::steady_clock::time_point started);

  // Responses the transport produces itself (body too large, malformed HTTP).
  static Response refuse(const Error& error);
  // Every handler thread is busy and the queue for them is full: 503, retry in a second.
  static Response busy();

 private:
  void authorize(Request& req);
  // Takes the request's token from its rate class's budget; a response when refused.
  std::optional<Response> limit_rate(Request& req, RateClass rate);
  // Runs `fn`, turning what it throws into a problem response.
  Response guarded(Request& req, const std::function<Response()>& fn);

  PipelineSettings settings_;
  const Router& router_;
  RateLimiter& limiter_;
  StaticFiles& static_files_;
  TrustedHosts hosts_;
  Cors cors_;
  TrustedProxies proxies_;
  std::string api_policy_field_;
  std::string public_policy_field_;
  Authorizer* authorizer_ = nullptr;
  std::vector<ResponseObserver*> observers_;
  RequestMonitor* monitor_ = nullptr;
};

}  // namespace herald::http
