#include "observability/http_monitor.hpp"

#include <nlohmann/json.hpp>

namespace herald::observability {
namespace {

bool is_api(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

// Health reports answer 503 to say "unhealthy" or "not ready": that is their
// answer, not an error of Herald's, so it is no error report.
bool is_health_report(std::string_view path) { return path.starts_with("/api/health"); }

// A 5xx answer as an error report sees it.
struct Answer {
  std::string text;   // "503 Service Unavailable: the database is unavailable; try again shortly"
  bool shed = false;  // the server was busy (load shedding): counted, not reported
};
Answer describe_answer(const http::Response& resp) {
  Answer out{std::to_string(resp.status)};
  if (resp.stream || resp.body.empty()) return out;
  const auto doc = nlohmann::json::parse(resp.body, nullptr, false);
  if (!doc.is_object()) return out;
  if (auto t = doc.find("title"); t != doc.end() && t->is_string()) out.text += " " + t->get<std::string>();
  if (auto d = doc.find("detail"); d != doc.end() && d->is_string()) out.text += ": " + d->get<std::string>();
  out.shed = doc.value("type", "") == "urn:herald:problem:busy";
  return out;
}

}  // namespace

HttpMonitor::HttpMonitor(Metrics& metrics, Reporter& reporter, ActiveUsers& users)
    : metrics_(metrics), reporter_(reporter), users_(users) {
  auto& http = metrics_.http();
  classes_[static_cast<std::size_t>(http::RateClass::Api)] = &http.rate_class("api");
  classes_[static_cast<std::size_t>(http::RateClass::Login)] = &http.rate_class("login");
  classes_[static_cast<std::size_t>(http::RateClass::Public)] = &http.rate_class("public");
  static_get_ = &http.route("static", "GET", false);
  static_head_ = &http.route("static", "HEAD", false);
}

void HttpMonitor::attach(const http::Router& router) {
  const auto& routes = router.routes();
  routes_.assign(routes.size(), nullptr);
  reports_5xx_.assign(routes.size(), true);
  for (const auto& r : routes) {
    // API calls in the admin figures: /api routes that are rate limited
    // (probes and /metrics are in the class none and would drown the figure).
    const bool api_call = is_api(r->path) && r->rate != http::RateClass::None;
    routes_[r->index] = &metrics_.http().route(r->path, http::to_string(r->method), api_call);
    reports_5xx_[r->index] = !is_health_report(r->path);
  }
}

void HttpMonitor::started(http::Request& req) noexcept {
  req.in_flight = http::InFlightMark(metrics_.http().in_flight_gauge());
  if (reporter_.enabled()) {
    try {
      req.breadcrumbs = std::make_shared<log::Breadcrumbs>();
    } catch (...) {
      // Without a trail the report is still sent.
    }
  }
}

void HttpMonitor::rate_limited(const http::Request&, http::RateClass rate) noexcept {
  const auto i = static_cast<std::size_t>(rate);
  if (i < classes_.size() && classes_[i] != nullptr) classes_[i]->refused();
}

RouteMetrics& HttpMonitor::handle_of(const http::Request& req) noexcept {
  if (req.matched != nullptr && req.matched->index < routes_.size() && routes_[req.matched->index] != nullptr)
    return *routes_[req.matched->index];
  if (!is_api(req.path) && req.method == http::Method::Get) return *static_get_;
  if (!is_api(req.path) && req.method == http::Method::Head) return *static_head_;
  return metrics_.http().unmatched(req.method_text);
}

EventContext HttpMonitor::context_of(const http::Request& req, int status) {
  EventContext c;
  c.logger = "herald.http";
  c.method = req.method_text;
  c.route = req.matched != nullptr ? req.matched->path : std::string("unmatched");
  c.target = req.target;
  if (auto host = req.header("Host"); host && !host->empty())
    c.base_url = (req.https ? "https://" : "http://") + std::string(*host);
  c.request_id = req.request_id;
  c.status = status;
  if (req.principal) {
    c.user_id = req.principal->user_id;
    c.user_role = req.principal->role;
  }
  if (req.breadcrumbs) c.breadcrumbs = req.breadcrumbs->entries();
  return c;
}

std::string HttpMonitor::failed(const http::Request& req, const std::exception& error) noexcept {
  if (!reporter_.enabled()) return {};
  try {
    return reporter_.capture_exception(error, context_of(req, 500)).value_or("");
  } catch (...) {
    return {};
  }
}

void HttpMonitor::finished(http::Request& req, const http::Response& resp, std::chrono::nanoseconds elapsed) noexcept {
  handle_of(req).record(resp.status, elapsed);
  if (req.principal) users_.seen(req.principal->user_id);
  if (resp.status < 500 || !req.error_event_id.empty() || !reporter_.enabled()) return;
  if (req.matched != nullptr && req.matched->index < reports_5xx_.size() && !reports_5xx_[req.matched->index]) return;
  try {
    const Answer answer = describe_answer(resp);
    if (answer.shed) return;
    const std::string message = req.method_text + " " + (req.matched ? req.matched->path : std::string("unmatched")) +
                                " answered " + answer.text;
    req.error_event_id =
        reporter_.capture_message(message, EventLevel::Error, context_of(req, resp.status)).value_or("");
  } catch (...) {
    // A report that cannot be built is not worth failing the answer for.
  }
}

}  // namespace herald::observability
