// The campaigns domain's HTTP handlers: parse, call the service, serialise.
#pragma once

#include "campaigns/service.hpp"
#include "campaigns/tracking.hpp"
#include "http/endpoints.hpp"
#include "http/types.hpp"

namespace herald::campaigns {

class Routes {
 public:
  Routes(CampaignService& campaigns, Tracking& tracking) : campaigns_(campaigns), tracking_(tracking) {}

  http::Response list(http::Request& req);
  http::Response create(http::Request& req);
  http::Response get(http::Request& req);
  http::Response update(http::Request& req);
  http::Response remove(http::Request& req);
  http::Response send(http::Request& req);
  http::Response pause(http::Request& req);
  http::Response resume(http::Request& req);
  http::Response cancel(http::Request& req);
  http::Response test(http::Request& req);
  http::Response recipients(http::Request& req);
  http::Response timeline(http::Request& req);
  http::Response summary(http::Request& req);

  http::Response open_pixel(http::Request& req);
  http::Response click(http::Request& req);
  http::Response unsubscribe_page(http::Request& req);
  http::Response unsubscribe(http::Request& req);

 private:
  CampaignService& campaigns_;
  Tracking& tracking_;
};

// Adds the handlers by name ("campaigns.list", "tracking.open", …) with their OpenAPI descriptions.
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::campaigns
