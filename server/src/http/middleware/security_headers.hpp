// Security headers on every response, errors included (SPEC §4).
#pragma once

#include "http/types.hpp"

namespace herald::http {

struct SecurityContext {
  bool https = false;  // served over TLS, or a trusted proxy said X-Forwarded-Proto: https
};

// API responses get a locked-down CSP; HTML pages (the UI) one that lets the app load.
// A Referrer-Policy the handler set is kept (one header, never two).
void apply_security_headers(Response& resp, const SecurityContext& ctx);

}  // namespace herald::http
