// The one error model: services throw these, http::problem turns them into
// RFC 9457 problem+json. Anything else escaping a handler is a 500.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace herald {

struct FieldError {
  std::string field;
  std::string message;
};

class Error : public std::runtime_error {
 public:
  // Subclasses hand `detail` over by value; std::runtime_error keeps its own copy.
  Error(int status, std::string title, std::string detail,  // NOLINT(performance-unnecessary-value-param)
        std::string type_slug = {})
      : std::runtime_error(detail), status_(status), title_(std::move(title)), type_slug_(std::move(type_slug)) {}

  int status() const noexcept { return status_; }
  const std::string& title() const noexcept { return title_; }
  // Short stable name of the problem type, e.g. "not-found"; becomes the problem `type` URI.
  const std::string& type_slug() const noexcept { return type_slug_; }
  std::string detail() const { return what(); }
  const std::vector<FieldError>& errors() const noexcept { return errors_; }
  // Extra response headers (Retry-After, Allow, WWW-Authenticate, ...).
  const std::vector<std::pair<std::string, std::string>>& headers() const noexcept { return headers_; }

  Error& with_field(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
    return *this;
  }
  Error& with_header(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
  }

 private:
  int status_;
  std::string title_;
  std::string type_slug_;
  std::vector<FieldError> errors_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

struct BadRequest : Error {
  explicit BadRequest(std::string detail) : Error(400, "Bad Request", std::move(detail), "bad-request") {}
};
struct Unauthorized : Error {
  explicit Unauthorized(std::string detail = "Authentication required")
      : Error(401, "Unauthorized", std::move(detail), "unauthorized") {
    with_header("WWW-Authenticate", "Bearer");
  }
};
struct Forbidden : Error {
  explicit Forbidden(std::string detail) : Error(403, "Forbidden", std::move(detail), "forbidden") {}
};
struct NotFound : Error {
  explicit NotFound(std::string detail) : Error(404, "Not Found", std::move(detail), "not-found") {}
};
struct Conflict : Error {
  explicit Conflict(std::string detail) : Error(409, "Conflict", std::move(detail), "conflict") {}
};
struct PayloadTooLarge : Error {
  explicit PayloadTooLarge(std::string detail)
      : Error(413, "Payload Too Large", std::move(detail), "payload-too-large") {}
};
struct UnsupportedMediaType : Error {
  explicit UnsupportedMediaType(std::string detail)
      : Error(415, "Unsupported Media Type", std::move(detail), "unsupported-media-type") {}
};
// 422 with one entry per offending field.
struct ValidationError : Error {
  ValidationError() : Error(422, "Validation Failed", "The request has invalid fields", "validation") {}
  ValidationError(std::string field, std::string message) : ValidationError() {
    with_field(std::move(field), std::move(message));
  }
  bool empty() const noexcept { return errors().empty(); }
};
struct TooManyRequests : Error {
  explicit TooManyRequests(std::string detail) : Error(429, "Too Many Requests", std::move(detail), "rate-limited") {}
};
struct ServiceUnavailable : Error {
  explicit ServiceUnavailable(std::string detail)
      : Error(503, "Service Unavailable", std::move(detail), "unavailable") {}
};

// 507: the server cannot store what the request would write (its database's
// disk is full or it is out of memory); reads still work.
struct InsufficientStorage : Error {
  explicit InsufficientStorage(std::string detail)
      : Error(507, "Insufficient Storage", std::move(detail), "insufficient-storage") {}
};

// Raised while loading configuration; the CLI prints it and exits 2.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string variable, const std::string& message)
      : std::runtime_error(variable + ": " + message), variable_(std::move(variable)) {}
  const std::string& variable() const noexcept { return variable_; }

 private:
  std::string variable_;
};

}  // namespace herald
