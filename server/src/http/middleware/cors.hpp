// CORS for browsers on other origins (HERALD_CORS_ORIGINS), with credentials.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/types.hpp"

namespace herald::http {

class Cors {
 public:
  explicit Cors(std::vector<std::string> origins);

  bool origin_allowed(std::string_view origin) const noexcept;
  // An OPTIONS request with Origin and Access-Control-Request-Method.
  static bool is_preflight(const Request& req) noexcept;
  // The answer to a preflight: 204 with the allow headers, or 403 problem for a foreign origin.
  Response preflight(const Request& req) const;
  // Adds the CORS headers to an ordinary response when the origin is allowed.
  void decorate(const Request& req, Response& resp) const;

 private:
  bool allow_all_ = false;
  std::vector<std::string> origins_;
};

}  // namespace herald::http
