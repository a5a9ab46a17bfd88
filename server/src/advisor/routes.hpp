// The built-in AI tools' HTTP handlers: parse, call the pure analysis or the
// service, serialise.
#pragma once

#include "http/endpoints.hpp"
#include "http/types.hpp"

namespace herald::advisor {

class Routes {
 public:
  http::Response analyze(http::Request& req);
};

// Adds "advisor.analyze".
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::advisor
