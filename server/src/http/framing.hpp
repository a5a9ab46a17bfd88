// How a request's head and body are delimited on the wire (RFC 9112), checked
// before any body byte is read. A framing that Herald and a proxy in front of
// it could read differently lets one request hide inside another's body, so
// anything but Content-Length or a plain `chunked` is refused, and the
// connection is closed after the answer. Pure logic.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/errors.hpp"
#include "http/types.hpp"

namespace herald::http {

inline constexpr std::size_t kMaxRequestLine = 8 * 1024;   // method, target and version: 414 past it
inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024;  // request line and every field: 431 past it
inline constexpr std::size_t kMaxHeaderFields = 100;       // 431 past it

// The refusal for a head that parsed but may not be served, or nothing:
//  - Transfer-Encoding in an HTTP/1.0 request, an empty one, or one whose
//    final coding is not `chunked` (the body's length cannot be known) → 400;
//  - `chunked` more than once, or with Content-Length → 400;
//  - any other coding before `chunked` (gzip, identity, …) → 501;
//  - a request line longer than kMaxRequestLine → 414;
//  - more than kMaxHeaderFields header fields → 431.
std::optional<Error> framing_problem(const Request& req);

// "METHOD target HTTP/1.1" without its line end.
constexpr std::size_t request_line_length(std::string_view method, std::string_view target) noexcept {
  return method.size() + 1 + target.size() + std::string_view(" HTTP/1.1").size();
}

// The refusal for a head the parser gave up on because it outgrew
// kMaxHeaderBytes: 414 when the request line is too long (or was never
// finished: `request_line` is empty then), else 431.
Error oversized_head(std::optional<std::size_t> request_line);

}  // namespace herald::http
