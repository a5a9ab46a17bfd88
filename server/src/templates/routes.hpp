// Handlers for /api/templates/*: parse and validate, call the service,
// serialise. The route table (api/routes.cpp) names their permissions and
// audit actions.
#pragma once

#include "http/types.hpp"
#include "templates/service.hpp"

namespace herald::http {
class Endpoints;
}  // namespace herald::http

namespace herald::templates {

class Routes {
 public:
  explicit Routes(TemplateService& service) : service_(service) {}

  http::Response list(http::Request& req);
  http::Response get(http::Request& req);
  http::Response create(http::Request& req);
  http::Response update(http::Request& req);
  http::Response remove(http::Request& req);
  http::Response preview(http::Request& req);
  http::Response preview_draft(http::Request& req);
  http::Response test(http::Request& req);

 private:
  TemplateService& service_;
};

// Adds the handlers above by name ("templates.list", …) with their OpenAPI descriptions.
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::templates
