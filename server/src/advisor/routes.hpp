// The built-in AI tools' HTTP handlers: parse, call the pure analysis or the
// service, serialise.
#pragma once

#include "advisor/send_time_service.hpp"
#include "core/clock.hpp"
#include "http/endpoints.hpp"
#include "http/types.hpp"
#include "jobs/queue.hpp"

namespace herald::advisor {

inline constexpr std::string_view kScoreJob = "advisor.score_leads";

class Routes {
 public:
  Routes(jobs::JobQueue& queue, const Clock& clock, SendTimeService& send_times)
      : queue_(queue), clock_(clock), send_times_(send_times) {}

  http::Response analyze(http::Request& req);
  http::Response score_leads(http::Request& req);
  http::Response score_leads_status(http::Request& req);
  http::Response send_times(http::Request& req);

 private:
  jobs::JobQueue& queue_;
  const Clock& clock_;
  SendTimeService& send_times_;
};

// Adds "advisor.analyze", "advisor.score_leads", "advisor.score_leads_status" and "advisor.send_times".
void add_endpoints(http::Endpoints& endpoints, Routes& routes);

}  // namespace herald::advisor
