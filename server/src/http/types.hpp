// Transport-independent HTTP request and response. Handlers and middleware
// see only these; Boost.Beast stays inside http/transport.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/log.hpp"
#include "http/principal.hpp"

namespace herald::http {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };

std::string_view to_string(Method m) noexcept;
Method parse_method(std::string_view s) noexcept;

// A small ordered header list with case-insensitive lookup.
class Headers {
 public:
  using Entry = std::pair<std::string, std::string>;

  std::optional<std::string_view> get(std::string_view name) const noexcept;
  bool contains(std::string_view name) const noexcept { return get(name).has_value(); }
  void add(std::string name, std::string value) { entries_.emplace_back(std::move(name), std::move(value)); }
  // Replaces every existing value of `name`.
  void set(std::string_view name, std::string value);
  void remove(std::string_view name);
  const std::vector<Entry>& entries() const noexcept { return entries_; }
  void reserve(std::size_t n) { entries_.reserve(n); }

 private:
  std::vector<Entry> entries_;
};

// Counts one request in a gauge for as long as the request lives, however it
// ends (answered, refused, or the client gone mid-body): the in-flight
// metric. A copy of a request is not counted again.
class InFlightMark {
 public:
  InFlightMark() noexcept = default;
  explicit InFlightMark(std::atomic<std::int64_t>& gauge) noexcept : gauge_(&gauge) {
    gauge_->fetch_add(1, std::memory_order_relaxed);
  }
  InFlightMark(const InFlightMark&) noexcept {}
  InFlightMark& operator=(const InFlightMark&) noexcept { return *this; }  // NOLINT(bugprone-unhandled-self-assignment)
  InFlightMark(InFlightMark&& o) noexcept : gauge_(std::exchange(o.gauge_, nullptr)) {}
  InFlightMark& operator=(InFlightMark&& o) noexcept {
    if (this != &o) {
      release();
      gauge_ = std::exchange(o.gauge_, nullptr);
    }
    return *this;
  }
  ~InFlightMark() { release(); }

 private:
  void release() noexcept {
    if (gauge_ != nullptr) gauge_->fetch_sub(1, std::memory_order_relaxed);
    gauge_ = nullptr;
  }
  std::atomic<std::int64_t>* gauge_ = nullptr;
};

struct Request {
  Method method = Method::Get;
  std::string method_text;  // as sent, for logs and 405s of unknown methods
  int version = 11;         // HTTP/1.1 → 11, HTTP/1.0 → 10
  std::string target;       // path + query as sent
  std::string path;         // percent-decoded path
  std::string query;        // raw query string, without '?'
  Headers headers;
  std::string body;
  std::string remote_ip;  // peer address
  bool tls = false;

  // Filled in by the pipeline.
  std::string request_id;
  std::string client_ip;  // remote_ip, or X-Forwarded-For from a trusted proxy
  std::vector<std::pair<std::string_view, std::string>> path_params;
  const struct Route* route = nullptr;
  // The route the path matched, set even when the request is refused before
  // its handler runs (a 429): what the request metrics count it under.
  const struct Route* matched = nullptr;
  bool https = false;  // TLS, or a trusted proxy said X-Forwarded-Proto: https
  // Headers middleware wants on the eventual response (RateLimit fields, ...).
  std::vector<std::pair<std::string, std::string>> response_headers;
  // Set by the authoriser on protected routes.
  std::shared_ptr<const Principal> principal;
  // What the audit entry of this request says; handlers refine the defaults
  // (the route's action, the path as resource).
  struct Audit {
    std::string action;                   // overrides the route's action, e.g. "LOGIN_FAILED"
    std::string resource;                 // e.g. "user/42"
    std::string details;                  // JSON object text
    std::optional<std::int64_t> user_id;  // actor when there is no principal (login)
    std::string actor;
    bool recorded = false;  // the handler wrote its own entry
  } audit;

  // Set by the request monitor (http/monitor.hpp): the in-flight count, the
  // log lines of this request for an error report (only while error
  // reporting is on), and the id of the error report sent for it.
  InFlightMark in_flight;
  std::shared_ptr<log::Breadcrumbs> breadcrumbs;
  std::string error_event_id;

  std::optional<std::string_view> header(std::string_view name) const noexcept { return headers.get(name); }
  // A path parameter by name; empty when absent.
  std::string_view param(std::string_view name) const noexcept;
  // First value of a query parameter, percent-decoded.
  std::optional<std::string> query_param(std::string_view name) const;
  // The body parsed as exactly one JSON value. Throws BadRequest naming the
  // problem for malformed JSON, anything after the value, a raw NUL byte, a
  // string or key holding U+0000 and an object naming a key twice (RFC 7493);
  // UnsupportedMediaType when the body declares a type other than JSON or
  // no Content-Type at all.
  nlohmann::json json() const;
};

// Produces a streamed response body piece by piece: called until it returns
// false, each call appending the next piece to `chunk` (empty on entry). It
// runs on the connection's I/O thread after the head was sent, so a body of
// any size is never held in memory. An exception aborts the connection.
using BodyProducer = std::function<bool(std::string& chunk)>;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::string content_type;  // empty = no body type
  // Set by the pipeline when the connection must close after this response
  // (e.g. a request body was refused before it was read).
  bool close = false;
  // When set, the body comes from here (Transfer-Encoding: chunked) and `body` is unused.
  BodyProducer stream;

  static Response json(int status, const nlohmann::json& body);
  static Response json_text(int status, std::string body);  // pre-serialised JSON
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response no_content();
  static Response streamed(int status, std::string content_type, BodyProducer producer);
};

// Receives a request body piece by piece, for routes that set
// Route::body_sink (uploads up to HERALD_MAX_IMPORT). The transport opens the
// sink once the head passed every check and the caller is authorised, calls
// write() for each piece as it arrives and finish() after the last one.
// A sink destroyed without finish() was abandoned (client gone, body too
// large, a write failed) and cleans up after itself.
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual void write(std::string_view chunk) = 0;
  virtual Response finish() = 0;
};

// Percent-decodes a URL component; '+' becomes a space when `plus_as_space`.
// Returns nullopt for malformed escapes.
std::optional<std::string> percent_decode(std::string_view s, bool plus_as_space = false);

}  // namespace herald::http
