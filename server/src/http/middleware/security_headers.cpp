#include "http/middleware/security_headers.hpp"

namespace herald::http {
namespace {
constexpr const char* kApiCsp = "default-src 'none'; frame-ancestors 'none'";
constexpr const char* kPageCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";
}  // namespace

void apply_security_headers(Response& resp, const SecurityContext& ctx) {
  bool html = resp.content_type.starts_with("text/html");
  resp.headers.add("X-Content-Type-Options", "nosniff");
  resp.headers.add("X-Frame-Options", "DENY");
  // A handler's own policy stands (the click redirect sends no-referrer):
  // with two headers a browser would apply the last one.
  if (!resp.headers.contains("Referrer-Policy")) resp.headers.add("Referrer-Policy", "strict-origin-when-cross-origin");
  resp.headers.add("Content-Security-Policy", html ? kPageCsp : kApiCsp);
  resp.headers.add("Cross-Origin-Opener-Policy", "same-origin");
  if (ctx.https) resp.headers.add("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
}

}  // namespace herald::http
