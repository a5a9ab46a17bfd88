#include "http/middleware/cors.hpp"

#include "core/strings.hpp"
#include "http/problem.hpp"

namespace herald::http {
namespace {
constexpr const char* kAllowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr const char* kExposeHeaders = "X-Request-ID, RateLimit, RateLimit-Policy, Retry-After, Location";
constexpr const char* kDefaultAllowHeaders = "Authorization, Content-Type, X-Request-ID";

// Request headers a browser may ask to send: token characters only, bounded length.
bool sane_header_list(std::string_view v) noexcept {
  if (v.size() > 1024) return false;
  for (char c : v) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == ',' || c == ' ';
    if (!ok) return false;
  }
  return true;
}
}  // namespace

Cors::Cors(std::vector<std::string> origins) : origins_(std::move(origins)) {
  for (auto& o : origins_) {
    if (o == "*") allow_all_ = true;
    while (o.ends_with('/')) o.pop_back();
  }
}

bool Cors::origin_allowed(std::string_view origin) const noexcept {
  if (origin.empty() || origin == "null") return false;
  if (allow_all_) return true;
  for (const auto& o : origins_) {
    if (iequals_ascii(o, origin)) return true;
  }
  return false;
}

bool Cors::is_preflight(const Request& req) noexcept {
  return req.method == Method::Options && req.headers.contains("Origin") &&
         req.headers.contains("Access-Control-Request-Method");
}

Response Cors::preflight(const Request& req) const {
  std::string_view origin = req.header("Origin").value_or("");
  if (!origin_allowed(origin)) {
    return problem(403, "Forbidden", "CORS preflight refused: origin '" + std::string(origin) + "' is not allowed",
                   "cors-origin");
  }
  Response r = Response::no_content();
  r.headers.add("Access-Control-Allow-Origin", std::string(origin));
  r.headers.add("Access-Control-Allow-Credentials", "true");
  r.headers.add("Access-Control-Allow-Methods", kAllowMethods);
  auto asked = req.header("Access-Control-Request-Headers");
  r.headers.add("Access-Control-Allow-Headers",
                asked && sane_header_list(*asked) ? std::string(*asked) : std::string(kDefaultAllowHeaders));
  r.headers.add("Access-Control-Max-Age", "600");
  r.headers.add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
  return r;
}

void Cors::decorate(const Request& req, Response& resp) const {
  auto origin = req.header("Origin");
  if (!origin) return;
  resp.headers.add("Vary", "Origin");
  if (!origin_allowed(*origin) || resp.headers.contains("Access-Control-Allow-Origin")) return;
  resp.headers.add("Access-Control-Allow-Origin", std::string(*origin));
  resp.headers.add("Access-Control-Allow-Credentials", "true");
  resp.headers.add("Access-Control-Expose-Headers", kExposeHeaders);
}

}  // namespace herald::http
