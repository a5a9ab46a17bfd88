// The built-in AI tools' HTTP handlers: parse, call the pure analysis or the
// service, serialise.
#pragma once

#include "core/clock.hpp"
#include "http/endpoints.hpp"
#include "http/types.hpp"
#include "jobs/queue.hpp"

namespace herald::advisor {

inline constexpr std::string_view kScoreJob = "advisor.score_leads";

class Routes {
 public:
  Routes(jobs::JobQueue& queue, const Clock& clock) : queue_(queue), clock_(clock) {}

  http::Response analyze(http::Request& req);
  http::Response score_leads(http::Request& req);
  http::Response score_leads_status(http::Request& req);

 private:
  jobs::JobQueue& queue_;
  const Clock& clock_;
};

// Adds "advisor.analyze", "advisor.score_leads" and "advisor.score_leads_status".
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::advisor
