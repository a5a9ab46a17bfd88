// Handlers for the inbound mailbox's routes (/api/settings/inbound/*):
// parse, call, serialise. The route table (api/routes.cpp) names their
// permissions and audit actions.
#pragma once

#include "http/types.hpp"
#include "settings/interface.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::inbound {

class Routes {
 public:
  explicit Routes(settings::Settings& settings) : settings_(settings) {}

  // POST /api/settings/inbound/test {imap_url?, user?, password?} → {ok, messages, unseen}
  http::Response test(http::Request& req);

 private:
  settings::Settings& settings_;
};

void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::inbound
