// What watches the pipeline from outside: request metrics and error reports
// (the observability module implements it). The pipeline calls it at fixed
// points of every request; each call is cheap (a few atomic additions) except
// for a failure, which builds an error report. Every call is noexcept: a
// monitor never changes an answer, except that a 500 names its report.
#pragma once

#include <chrono>
#include <exception>
#include <string>

#include "http/router.hpp"
#include "http/types.hpp"

namespace herald::http {

class RequestMonitor {
 public:
  virtual ~RequestMonitor() = default;

  // Once, when every route is mounted and before the first request: per-route
  // handles are resolved here (Route::index), never per request.
  virtual void attach(const Router& router) = 0;
  // The head arrived, before any check: counts the request in flight (for as
  // long as it lives, Request::in_flight) and may give it a breadcrumb trail
  // (Request::breadcrumbs) that its log lines are also written to.
  virtual void started(Request& req) noexcept = 0;
  // The request was refused by its rate class's budget.
  virtual void rate_limited(const Request& req, RateClass rate) noexcept = 0;
  // An exception escaped the handler and the request is answered 500: sends
  // one error report and returns its id (empty when none was sent), which
  // the pipeline also stores in Request::error_event_id.
  virtual std::string failed(const Request& req, const std::exception& error) noexcept = 0;
  // The response is complete (headers set): counts it by route template,
  // method and status; a 5xx without a report yet gets one.
  virtual void finished(Request& req, const Response& resp, std::chrono::nanoseconds elapsed) noexcept = 0;
};

}  // namespace herald::http
