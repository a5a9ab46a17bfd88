// Handlers for /api/settings/* and /api/admin/outbox*: parse and validate,
// call the service, serialise. The route table (api/routes.cpp) names their
// permissions and audit actions.
#pragma once

#include "http/types.hpp"
#include "settings/service.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::settings {

class Routes {
 public:
  explicit Routes(SettingsService& service) : service_(service) {}

  http::Response get(http::Request& req);
  http::Response update(http::Request& req);
  http::Response list_dkim(http::Request& req);
  http::Response create_dkim(http::Request& req);
  http::Response delete_dkim(http::Request& req);
  http::Response smtp_test(http::Request& req);
  http::Response list_outbox(http::Request& req);
  http::Response get_outbox(http::Request& req);

 private:
  SettingsService& service_;
};

void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::settings
