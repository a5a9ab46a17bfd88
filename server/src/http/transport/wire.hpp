// Response serialisation to HTTP/1.1 wire format.
#pragma once

#include <string>

#include "http/types.hpp"

namespace herald::http {

// Status line, headers (with Content-Length, Date, Server, Connection) and body.
// `head_only` keeps Content-Length but omits the body. A streamed response
// (Response::stream) gets only its head here: with Transfer-Encoding: chunked
// when `chunked`, else delimited by closing the connection (HTTP/1.0).
std::string serialize_response(const Response& resp, bool head_only, bool keep_alive, bool chunked = true);
// The same without the body, which the caller writes from resp.body itself
// (a large body then goes out without being copied).
std::string serialize_head(const Response& resp, bool head_only, bool keep_alive, bool chunked = true);

}  // namespace herald::http
