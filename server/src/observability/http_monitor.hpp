// The pipeline's request monitor: per-request metrics by route template,
// in-flight requests, rate-limit refusals by class, the users seen (the
// admin figures), and one Sentry event for an exception escaping a handler
// or any other 5xx answer.
#pragma once

#include <array>
#include <vector>

#include "http/monitor.hpp"
#include "observability/metrics.hpp"
#include "observability/sentry.hpp"
#include "observability/system_figures.hpp"

namespace herald::observability {

class HttpMonitor final : public http::RequestMonitor {
 public:
  // Each must outlive the monitor.
  HttpMonitor(Metrics& metrics, Reporter& reporter, ActiveUsers& users);

  void attach(const http::Router& router) override;
  void started(http::Request& req) noexcept override;
  void rate_limited(const http::Request& req, http::RateClass rate) noexcept override;
  std::string failed(const http::Request& req, const std::exception& error) noexcept override;
  void finished(http::Request& req, const http::Response& resp, std::chrono::nanoseconds elapsed) noexcept override;

  // What an error report says about a request (exposed for tests).
  static EventContext context_of(const http::Request& req, int status);

 private:
  RouteMetrics& handle_of(const http::Request& req) noexcept;

  Metrics& metrics_;
  Reporter& reporter_;
  ActiveUsers& users_;
  std::vector<RouteMetrics*> routes_;           // by http::Route::index
  std::vector<bool> reports_5xx_;               // by http::Route::index: a 5xx answer is an error (not a health report)
  std::array<RateClassMetrics*, 4> classes_{};  // by http::RateClass
  RouteMetrics* static_get_ = nullptr;          // the web UI's files
  RouteMetrics* static_head_ = nullptr;
};

}  // namespace herald::observability
