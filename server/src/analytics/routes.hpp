// The analytics domain's HTTP handlers: parse the query, call the service,
// answer JSON or (format=csv) CSV.
#pragma once

#include "analytics/service.hpp"
#include "http/endpoints.hpp"
#include "http/types.hpp"

namespace herald::analytics {

class Routes {
 public:
  explicit Routes(AnalyticsService& service) : service_(service) {}

  http::Response overview(http::Request& req);
  http::Response campaign(http::Request& req);
  http::Response timeseries(http::Request& req);

 private:
  AnalyticsService& service_;
};

// Adds "analytics.overview", "analytics.campaign" and "analytics.timeseries".
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::analytics
