// Handlers for the provider half of /api/ai: parse and validate, call the
// service, serialise (JSON, or Server-Sent Events for streamed answers).
// The route table (api/routes.cpp) names their permission (ai:use), audit
// actions and that they run on the handler pool.
#pragma once

#include "ai/event_stream.hpp"
#include "ai/service.hpp"
#include "http/types.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::ai {

class Routes {
 public:
  Routes(Service& service, EventStreams& streams) : service_(service), streams_(streams) {}

  http::Response draft(http::Request& req);
  http::Response subject_lines(http::Request& req);
  http::Response chat(http::Request& req);

 private:
  Service& service_;
  EventStreams& streams_;
};

void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::ai
