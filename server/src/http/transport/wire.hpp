// Response serialisation to HTTP/1.1 wire format.
#pragma once

#include <string>

#include "http/types.hpp"

namespace herald::http {

// Status line, headers (with Content-Length, Date, Server, Connection) and body.
// `head_only` keeps Content-Length but omits the body.
std::string serialize_response(const Response& resp, bool head_only, bool keep_alive);

}  // namespace herald::http
