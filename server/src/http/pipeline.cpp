#include "http/pipeline.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <nlohmann/json.hpp>

#include "core/log.hpp"
#include "core/strings.hpp"
#include "http/framing.hpp"
#include "http/middleware/request_id.hpp"
#include "http/middleware/security_headers.hpp"
#include "http/problem.hpp"
#include "storage/database.hpp"

namespace herald::http {
namespace {

bool is_api(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

std::optional<std::uint64_t> content_length(const Request& req) {
  auto v = req.header("Content-Length");
  if (!v) return std::nullopt;
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size()) return std::nullopt;
  return n;
}

std::string human_size(std::uint64_t bytes) {
  if (bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + " GiB";
  if (bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

PipelineSettings PipelineSettings::from(const Config& c) {
  PipelineSettings s;
  s.cors_origins = c.cors_origins;
  s.trusted_hosts = c.trusted_hosts;
  s.trusted_proxies = c.trusted_proxies;
  s.api_rate = RatePolicy{"api", c.rate_limit.count, c.rate_limit.window};
  s.public_rate = RatePolicy{"public", c.public_rate_limit.count, c.public_rate_limit.window};
  s.max_body = c.max_body;
  s.max_import = c.max_import;
  return s;
}

Pipeline::Pipeline(PipelineSettings settings, const Router& router, RateLimiter& limiter, StaticFiles& static_files)
    : settings_(std::move(settings)),
      router_(router),
      limiter_(limiter),
      static_files_(static_files),
      hosts_(settings_.trusted_hosts),
      cors_(settings_.cors_origins),
      proxies_(settings_.trusted_proxies),
      api_policy_field_(ratelimit_policy_field(settings_.api_rate)),
      public_policy_field_(ratelimit_policy_field(settings_.public_rate)) {}

// Api and Login routes share the API budget (the login handler takes its own
// per address and email on top); Public routes have theirs; None takes nothing.
void Pipeline::set_monitor(RequestMonitor* m) {
  monitor_ = m;
  if (monitor_) monitor_->attach(router_);
}

std::optional<Response> Pipeline::limit_rate(Request& req, RateClass rate) {
  if (rate == RateClass::None) return std::nullopt;
  const bool is_public = rate == RateClass::Public;
  const RatePolicy& policy = is_public ? settings_.public_rate : settings_.api_rate;
  // The key "class:client" is put together on the stack (an IPv6 address
  // and its prefix fit): the rate check allocates nothing for it.
  const std::string_view prefix = is_public ? "public:" : "api:";
  std::array<char, 96> buffer{};
  std::string spilled;
  std::string_view key;
  if (prefix.size() + req.client_ip.size() <= buffer.size()) {
    auto* end = std::copy(prefix.begin(), prefix.end(), buffer.data());
    end = std::copy(req.client_ip.begin(), req.client_ip.end(), end);
    key = std::string_view(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  } else {
    spilled = std::string(prefix) + req.client_ip;
    key = spilled;
  }
  RateDecision d = limiter_.take(key, policy);
  req.response_headers.emplace_back("RateLimit-Policy", is_public ? public_policy_field_ : api_policy_field_);
  req.response_headers.emplace_back("RateLimit", ratelimit_field(policy, d));
  if (d.allowed) return std::nullopt;
  if (monitor_) monitor_->rate_limited(req, rate);
  TooManyRequests err("rate limit of " + std::to_string(d.limit) + " requests per " +
                      std::to_string(policy.window.count()) + " s exceeded; retry in " +
                      std::to_string(d.retry_after_s) + " s");
  err.with_header("Retry-After", std::to_string(d.retry_after_s));
  return problem(err);
}

std::optional<Response> Pipeline::on_headers(Request& req) {
  req.request_id = resolve_request_id(req.header("X-Request-ID").value_or(""));
  req.client_ip = proxies_.client_ip(req.remote_ip, req.header("X-Forwarded-For"));
  req.https = req.tls || (proxies_.contains(req.remote_ip) &&
                          iequals_ascii(req.header("X-Forwarded-Proto").value_or(""), "https"));
  if (monitor_) monitor_->started(req);

  // Framing first: a request whose body length is in doubt is answered and the
  // connection closed, so no byte of that body is ever read as a request.
  if (auto bad = framing_problem(req)) return refuse(*bad);

  auto host = req.header("Host").value_or("");
  if (!hosts_.allowed(host)) {
    return problem(400, "Bad Request", "Host header '" + std::string(host) + "' is not allowed", "untrusted-host");
  }
  if (Cors::is_preflight(req)) return cors_.preflight(req);

  // Path parameters become ids, names and audit resources: they must be text.
  const bool text_path = is_text(req.path);
  Match m = text_path ? router_.match(req.method, req.path) : Match{};
  req.matched = m.route;
  const bool api = is_api(req.path);
  // A path with no route still pays: under /api from the API budget (so
  // probing paths costs like calling them); the static UI is not limited.
  const RateClass rate = m.route ? m.route->rate : api ? RateClass::Api : RateClass::None;
  if (auto refused = limit_rate(req, rate)) return refused;

  if (!text_path) {
    return problem(400, "Bad Request", "the request path is not valid UTF-8 text once percent-decoded", "bad-path");
  }
  if (m.route) {
    req.route = m.route;
    req.path_params = std::move(m.params);
  } else if (!m.allowed.empty()) {
    if (req.method == Method::Options) {
      Response r = Response::no_content();
      r.headers.add("Allow", allow_header(m.allowed) + ", OPTIONS");
      return r;
    }
    Response r = problem(405, "Method Not Allowed", std::string(req.method_text) + " is not allowed on " + req.path,
                         "method-not-allowed");
    r.headers.add("Allow", allow_header(m.allowed));
    return r;
  } else if (api) {
    return problem(404, "Not Found", "no API route " + req.path, "not-found");
  } else if (req.method != Method::Get && req.method != Method::Head) {
    Response r = problem(405, "Method Not Allowed", "only GET and HEAD are served outside /api", "method-not-allowed");
    r.headers.add("Allow", "GET, HEAD");
    return r;
  }

  auto length = content_length(req);
  std::uint64_t limit = body_limit(req);
  if (length && *length > limit) {
    return refuse(PayloadTooLarge("request body of " + std::to_string(*length) + " bytes exceeds the " +
                                  human_size(limit) + " limit"));
  }
  return std::nullopt;
}

std::uint64_t Pipeline::body_limit(const Request& req) const noexcept {
  if (req.route && req.route->body_limit == BodyLimit::Import) return settings_.max_import;
  return settings_.max_body;
}

void Pipeline::authorize(Request& req) {
  if (req.route->access.kind == Access::Kind::Public) return;
  if (!authorizer_) throw ServiceUnavailable("authorisation is not configured");
  authorizer_->authorize(req, req.route->access);
}

Response Pipeline::guarded(Request& req, const std::function<Response()>& fn) {
  try {
    return fn();
  } catch (const Error& e) {
    return problem(e);
  } catch (const storage::Unavailable& e) {
    log::error("database unavailable", {{"error", e.what()}});
    return problem(503, "Service Unavailable", "the database is unavailable; try again shortly", "unavailable");
  } catch (const storage::StorageFull& e) {
    log::error("database cannot write", {{"error", e.what()}, {"path", req.path}});
    return problem(InsufficientStorage("the database cannot write: " + e.cause() +
                                       "; the request was not applied. Reads still work, and writes succeed "
                                       "again once the database has room"));
  } catch (const storage::ReadOnly& e) {
    log::error("database is read-only", {{"error", e.what()}, {"path", req.path}});
    return problem(503, "Service Unavailable",
                   "the database is read-only; the request was not applied. Reads still work, and writes succeed "
                   "again once it accepts them",
                   "read-only");
  } catch (const std::exception& e) {
    // One error report (its id named in the answer and the log line), never
    // the exception's text or a stack trace in the answer.
    if (monitor_) req.error_event_id = monitor_->failed(req, e);
    log::error("unhandled error", {{"error", e.what()}, {"path", req.path}, {"event_id", req.error_event_id}});
    std::string detail = "an unexpected error occurred; quote request id " + req.request_id;
    if (req.error_event_id.empty()) return problem(500, "Internal Server Error", detail, "internal");
    detail += " (error report " + req.error_event_id + ")";
    return problem(500, "Internal Server Error", detail, "internal", nlohmann::json{{"event_id", req.error_event_id}});
  }
}

// The log lines of the handler also go to the request's breadcrumb trail, if any.
Response Pipeline::dispatch(Request& req) {
  log::RequestScope scope(req.request_id, req.breadcrumbs.get());
  return guarded(req, [&] {
    if (!req.route) return static_files_.serve(req);
    authorize(req);
    if (req.route->body_sink) {
      // A transport that read the whole body: hand it to the sink in one piece.
      auto sink = req.route->body_sink(req);
      if (!req.body.empty()) sink->write(req.body);
      return sink->finish();
    }
    return req.route->handler(req);
  });
}

std::optional<Response> Pipeline::open_sink(Request& req, std::unique_ptr<BodySink>& sink) {
  log::RequestScope scope(req.request_id, req.breadcrumbs.get());
  Response r = guarded(req, [&] {
    authorize(req);
    sink = req.route->body_sink(req);
    return Response::no_content();
  });
  if (sink) return std::nullopt;
  if (r.status < 400) r = problem(500, "Internal Server Error", "the upload could not be opened", "internal");
  return r;
}

std::optional<Response> Pipeline::feed(Request& req, BodySink& sink, std::string_view chunk) {
  log::RequestScope scope(req.request_id, req.breadcrumbs.get());
  bool ok = false;
  Response r = guarded(req, [&] {
    sink.write(chunk);
    ok = true;
    return Response::no_content();
  });
  if (ok) return std::nullopt;
  r.close = true;  // the rest of the body is not read
  return r;
}

Response Pipeline::finish_sink(Request& req, BodySink& sink) {
  log::RequestScope scope(req.request_id, req.breadcrumbs.get());
  return guarded(req, [&] { return sink.finish(); });
}

Response Pipeline::refuse(const Error& error) {
  Response r = problem(error);
  r.close = true;  // the body was not read: the connection cannot be reused
  return r;
}

Response Pipeline::busy() {
  // Its own type: load shedding, counted in the metrics but not an error report.
  Response r = problem(503, "Service Unavailable", "the server is busy with requests that wait; retry shortly", "busy");
  r.headers.add("Retry-After", "1");
  return r;
}

void Pipeline::finish(Request& req, Response& resp, std::chrono::steady_clock::time_point started) {
  // The middleware adds up to 8 headers: one array for them and the handler's.
  resp.headers.reserve(resp.headers.entries().size() + req.response_headers.size() + 8);
  for (auto& [k, v] : req.response_headers) resp.headers.add(std::move(k), std::move(v));
  req.response_headers.clear();
  cors_.decorate(req, resp);
  apply_security_headers(resp, SecurityContext{req.https});
  resp.headers.add("X-Request-ID", req.request_id);

  const auto elapsed = std::chrono::steady_clock::now() - started;
  if (monitor_) monitor_->finished(req, resp, elapsed);
  for (auto* o : observers_) o->observe(req, resp);
  if (settings_.access_log) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    log::RequestScope scope(req.request_id);
    if (req.error_event_id.empty()) {
      log::info("request", {{"method", req.method_text},
                            {"path", req.path},
                            {"status", resp.status},
                            {"duration_ms", static_cast<double>(us) / 1000.0},
                            {"client", req.client_ip}});
    } else {
      log::info("request", {{"method", req.method_text},
                            {"path", req.path},
                            {"status", resp.status},
                            {"duration_ms", static_cast<double>(us) / 1000.0},
                            {"client", req.client_ip},
                            {"event_id", req.error_event_id}});
    }
  }
}

}  // namespace herald::http
