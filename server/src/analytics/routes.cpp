#include "analytics/routes.hpp"

#include "core/errors.hpp"
#include "http/params.hpp"

namespace herald::analytics {
namespace {

using http::Request;
using http::Response;

constexpr std::chrono::hours kDay{24};

// format=json (default) or csv.
bool wants_csv(const Request& req) {
  auto f = req.query_param("format");
  if (!f || *f == "json") return false;
  if (*f == "csv") return true;
  throw ValidationError("format", "must be json or csv");
}

Response csv(std::string body, const std::string& filename) {
  auto r = Response::text(200, std::move(body), "text/csv; charset=utf-8");
  r.headers.add("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return r;
}

Interval parse_interval(const std::optional<std::string>& v, Interval fallback) {
  if (!v) return fallback;
  if (*v == "hour") return Interval::Hour;
  if (*v == "day") return Interval::Day;
  throw ValidationError("interval", "must be hour or day");
}

std::string parse_tz(const std::optional<std::string>& v) {
  if (!v) return "UTC";
  if (v->empty()) throw ValidationError("tz", "must be an IANA time zone name such as UTC or America/New_York");
  return *v;
}

}  // namespace

Response Routes::overview(Request& req) {
  const bool as_csv = wants_csv(req);
  const auto p =
      parse_period(req.query_param("from"), req.query_param("to"), service_.clock().wall(), 30 * kDay, 3660 * kDay);
  const auto o = service_.overview(p);
  if (as_csv) return csv(to_csv(o), "overview.csv");
  return Response::json(200, to_json(o));
}

Response Routes::campaign(Request& req) {
  const auto id = http::id_param(req);
  const bool as_csv = wants_csv(req);
  const auto interval = parse_interval(req.query_param("interval"), Interval::Day);
  const auto r = service_.campaign(id, interval, parse_tz(req.query_param("tz")));
  if (as_csv) return csv(to_csv(r), "campaign-" + std::to_string(id) + ".csv");
  return Response::json(200, to_json(r));
}

Response Routes::timeseries(Request& req) {
  const bool as_csv = wants_csv(req);
  SeriesQuery q;
  auto metric = req.query_param("metric");
  if (!metric) throw ValidationError("metric", "is required");
  if (!is_metric(*metric)) {
    std::string names;
    for (auto m : kMetrics) names += (names.empty() ? "" : ", ") + std::string(m);
    throw ValidationError("metric", "must be one of " + names);
  }
  q.metric = *metric;
  q.interval = parse_interval(req.query_param("interval"), Interval::Day);
  q.tz = parse_tz(req.query_param("tz"));
  if (auto c = req.query_param("campaign_id")) {
    std::int64_t v = 0;
    std::size_t used = 0;
    try {
      v = std::stoll(*c, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != c->size() || v <= 0 || (*c)[0] == '+')
      throw ValidationError("campaign_id", "must be a positive integer");
    q.campaign_id = v;
  }
  // An hourly series covers at most 93 days (2,232 points), a daily one 10 years.
  const auto max_span = q.interval == Interval::Hour ? 93 * kDay : 3660 * kDay;
  const auto default_span = q.interval == Interval::Hour ? 2 * kDay : 30 * kDay;
  q.period =
      parse_period(req.query_param("from"), req.query_param("to"), service_.clock().wall(), default_span, max_span);
  const auto s = service_.timeseries(q);
  if (as_csv) return csv(to_csv(s), "timeseries-" + q.metric + ".csv");
  return Response::json_text(200, to_json_text(s));
}

}  // namespace herald::analytics
