// The analytics API through the real server on both backends: a synthetic
// event log (written where the campaigns domain writes it) is rolled up by
// the analytics job and the reports give exactly the expected counts and
// rates, days in a time zone, CSV; bad inputs are 422 naming the field;
// analytics:read is needed.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/time.hpp"
#include "integration/auth/auth_fixture.hpp"
#include "jobs/queue.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

template <typename F>
bool eventually(F done, std::chrono::seconds timeout = std::chrono::seconds(90)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

std::int64_t ms(const char* rfc3339) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(parse_rfc3339(rfc3339)->time_since_epoch()).count();
}

class AnalyticsApiTest : public AuthTest {
 protected:
  std::int64_t add_campaign(const std::string& name) {
    auto conn = db().acquire();
    std::int64_t id = 0;
    conn->execute(sql_for(GetParam(),
                          "INSERT INTO campaigns (name, template_id, audience, status, created_at, updated_at) "
                          "VALUES ($1, 1, '{\"all\":true}', 'completed', '2026-01-01T00:00:00.000Z', "
                          "'2026-01-01T00:00:00.000Z') RETURNING id"),
                  {std::string_view(name)}, [&](const storage::Row& r) { id = r.integer(0); });
    return id;
  }
  void event(std::int64_t campaign, std::int64_t lead, const std::string& type, const char* at,
             const std::string& ua = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
             const std::string& ip = "203.0.113.4", std::optional<std::string> url = std::nullopt) {
    auto conn = db().acquire();
    conn->execute(sql_for(GetParam(),
                          "INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip, url) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7)"),
                  {campaign, lead, std::string_view(type), ms(at), std::string_view(ua), std::string_view(ip),
                   url ? storage::Param(std::string_view(*url)) : storage::Param(nullptr)});
  }

  // Campaign A: 10 messages on 2026-01-15 (8 delivered, 1 bounce, 1 rejected);
  // leads 1-3 open (lead 2 only through Apple's proxy), 3 and 1 click, 4
  // unsubscribes, 5 replies. Two more delivered on 2026-01-05 (the previous period).
  std::int64_t seed() {
    const auto a = add_campaign("Spring launch");
    const char* hours[] = {"2026-01-15T03:00:00Z", "2026-01-15T03:10:00Z", "2026-01-15T12:00:00Z",
                           "2026-01-15T12:01:00Z", "2026-01-15T12:02:00Z", "2026-01-15T12:03:00Z",
                           "2026-01-15T12:04:00Z", "2026-01-16T04:59:00Z"};
    for (int i = 0; i < 8; ++i) event(a, i + 1, "delivered", hours[i]);
    event(a, 9, "bounce", "2026-01-15T12:05:00Z");
    event(a, 10, "rejected", "2026-01-15T12:06:00Z");
    event(a, 1, "open", "2026-01-15T13:00:00Z");
    event(a, 1, "open", "2026-01-15T13:05:00Z");
    event(a, 2, "open", "2026-01-15T13:06:00Z", "Mozilla/5.0", "17.58.1.2");
    event(a, 3, "click", "2026-01-15T14:00:00Z", "Mozilla/5.0 (X11)", "203.0.113.5", "https://example.org/a");
    event(a, 3, "click", "2026-01-15T14:01:00Z", "Mozilla/5.0 (X11)", "203.0.113.5", "https://example.org/a");
    event(a, 1, "click", "2026-01-15T14:02:00Z", "Mozilla/5.0 (X11)", "203.0.113.4", "https://example.org/b");
    event(a, 4, "unsubscribe", "2026-01-15T15:00:00Z");
    event(a, 5, "reply", "2026-01-15T16:00:00Z");
    event(a, 11, "delivered", "2026-01-05T10:00:00Z");
    event(a, 12, "delivered", "2026-01-05T11:00:00Z");
    return a;
  }

  const std::string kPeriod = "from=2026-01-10T00:00:00Z&to=2026-01-20T00:00:00Z";

  json overview() {
    auto r = server().admin().get("/api/analytics/overview?" + kPeriod);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json() : json::object();
  }
  // Waits until the roll-up has taken in the seeded events.
  void wait_rolled_up() {
    ASSERT_TRUE(eventually([&] {
      auto o = overview();
      return o.value("sent", 0) == 10 && o["previous"].value("sent", 0) == 2;
    })) << overview().dump();
  }
};

TEST_P(AnalyticsApiTest, OverviewGivesExactCountsAndRatesAgainstThePreviousPeriod) {
  server();
  seed();
  auto& admin = server().admin();
  ASSERT_EQ(admin.post("/api/leads", {{"email", "one@example.org"}}).status, 201);
  ASSERT_EQ(admin.post("/api/leads", {{"email", "two@example.org"}}).status, 201);
  wait_rolled_up();
  auto o = overview();
  EXPECT_EQ(o["from"], "2026-01-10T00:00:00.000Z");
  EXPECT_EQ(o["delivered"], 8);
  EXPECT_EQ(o["bounced"], 1);
  EXPECT_EQ(o["opened"], 3);
  EXPECT_EQ(o["human_opened"], 2);
  EXPECT_EQ(o["clicked"], 2);
  EXPECT_EQ(o["unsubscribed"], 1);
  EXPECT_EQ(o["replied"], 1);
  EXPECT_DOUBLE_EQ(o["rates"]["delivery"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(o["rates"]["open"].get<double>(), 0.3);
  EXPECT_DOUBLE_EQ(o["rates"]["click"].get<double>(), 0.2);
  EXPECT_DOUBLE_EQ(o["rates"]["bounce"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(o["rates"]["unsubscribe"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(o["rates"]["reply"].get<double>(), 0.1);
  EXPECT_EQ(o["previous"]["from"], "2025-12-31T00:00:00.000Z");
  EXPECT_EQ(o["previous"]["delivered"], 2);
  EXPECT_DOUBLE_EQ(o["previous"]["rates"]["delivery"].get<double>(), 1.0);
  EXPECT_EQ(o["leads"]["total"], 2);
  EXPECT_EQ(o["leads"]["new"], 0);
  EXPECT_EQ(o["campaigns_active"], 0);
  // A period inside one day (hours only) and one over whole days plus partial
  // edge days (daily rows and edge hours) count what the events say.
  auto part = admin.get("/api/analytics/overview?from=2026-01-15T12:30:00Z&to=2026-01-15T14:00:00Z").json();
  EXPECT_EQ(part["sent"], 7) << part.dump();
  EXPECT_EQ(part["opened"], 2);
  auto edges = admin.get("/api/analytics/overview?from=2026-01-04T10:30:00Z&to=2026-01-16T04:00:00Z").json();
  EXPECT_EQ(edges["sent"], 11) << edges.dump();  // 2 on the 5th, 9 on the 15th; not 04:59Z on the 16th
  EXPECT_EQ(edges["clicked"], 2);
  // The last 30 days (the default) hold the two new leads.
  auto recent = admin.get("/api/analytics/overview").json();
  EXPECT_EQ(recent["leads"]["new"], 2);
  EXPECT_EQ(recent["sent"], 0);
  // 30 days from 10 days ahead: none new in it, both in the 30 days before.
  const auto ahead = rfc3339(std::chrono::system_clock::now() + std::chrono::hours(24 * 40));
  auto later = admin.get("/api/analytics/overview?to=" + ahead).json();
  EXPECT_EQ(later["leads"]["new"], 0) << later.dump();
  EXPECT_EQ(later["previous"]["leads"]["new"], 2) << later.dump();
  EXPECT_EQ(later["leads"]["total"], 2);

  auto csv = admin.get("/api/analytics/overview?format=csv&" + kPeriod);
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("sent,10,2\r\n"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("open_rate,0.300000,0.000000\r\n"), std::string::npos) << csv.body;
}

// Retention deletes the raw events the overview was built from; the
// overview, a time series and a campaign report stay the same.
TEST_P(AnalyticsApiTest, RetentionDeletesRawEventsAndTheReportsStayTheSame) {
  server([](Config& c) { c.analytics_retention_days = 30; });
  const auto a = seed();
  wait_rolled_up();
  auto& admin = server().admin();
  const std::string series =
      "/api/analytics/timeseries?metric=opened&interval=day&tz=America/New_York&from=2026-01-01&to=2026-02-01";
  const std::string report = "/api/analytics/campaigns/" + std::to_string(a);
  const auto before = overview();
  const auto series_before = admin.get(series).json();
  const auto report_before = admin.get(report).json();
  EXPECT_EQ(before["opened"], 3);
  auto raw = [&] {
    std::int64_t n = 0;
    auto conn = db().acquire();
    conn->execute("SELECT count(*) FROM campaign_events", {}, [&](const storage::Row& r) { n = r.integer(0); });
    return n;
  };
  EXPECT_GE(raw(), 2);
  jobs::JobSpec spec;
  spec.name = "analytics.retention";
  spec.queue = "analytics";
  server().server().app().job_queue().enqueue(spec);
  // All but the last rolled-up event go (it marks the log's highest id).
  ASSERT_TRUE(eventually([&] { return raw() == 1; })) << raw();
  EXPECT_EQ(overview(), before);
  EXPECT_EQ(admin.get(series).json(), series_before);
  EXPECT_EQ(admin.get(report).json(), report_before);
}

TEST_P(AnalyticsApiTest, TimeseriesHonoursTheTimeZone) {
  server();
  const auto a = seed();
  wait_rolled_up();
  auto& admin = server().admin();
  auto ny = admin
                .get(
                    "/api/analytics/timeseries?metric=delivered&interval=day&tz=America/New_York"
                    "&from=2026-01-14T05:00:00Z&to=2026-01-17T05:00:00Z")
                .json();
  EXPECT_EQ(ny["metric"], "delivered");
  EXPECT_EQ(ny["interval"], "day");
  EXPECT_EQ(ny["tz"], "America/New_York");
  ASSERT_EQ(ny["points"].size(), 3u) << ny.dump();
  EXPECT_EQ(ny["points"][0]["t"], "2026-01-14T00:00:00-05:00");
  EXPECT_EQ(ny["points"][0]["value"], 2);  // 03:00Z and 03:10Z on the 15th
  EXPECT_EQ(ny["points"][1]["value"], 6);  // through 04:59Z on the 16th
  EXPECT_EQ(ny["points"][2]["value"], 0);
  // Tokyo (+09:00): days start at 15:00 UTC, so each run ends 9 hours before
  // a UTC midnight (the days' rows minus their last hours).
  auto tokyo = admin
                   .get(
                       "/api/analytics/timeseries?metric=delivered&interval=day&tz=Asia/Tokyo"
                       "&from=2026-01-14T15:00:00Z&to=2026-01-17T15:00:00Z")
                   .json();
  ASSERT_EQ(tokyo["points"].size(), 3u) << tokyo.dump();
  EXPECT_EQ(tokyo["points"][0]["t"], "2026-01-15T00:00:00+09:00");
  EXPECT_EQ(tokyo["points"][0]["value"], 7);  // 03:00Z to 12:04Z on the 15th
  EXPECT_EQ(tokyo["points"][1]["value"], 1);  // 04:59Z on the 16th
  EXPECT_EQ(tokyo["points"][2]["value"], 0);
  auto utc = admin
                 .get(
                     "/api/analytics/timeseries?metric=delivered&interval=day"
                     "&from=2026-01-14&to=2026-01-17&campaign_id=" +
                     std::to_string(a))
                 .json();
  EXPECT_EQ(utc["tz"], "UTC");
  ASSERT_EQ(utc["points"].size(), 3u);
  EXPECT_EQ(utc["points"][0]["value"], 0);
  EXPECT_EQ(utc["points"][1]["value"], 7);
  EXPECT_EQ(utc["points"][2]["value"], 1);
  auto hourly = admin
                    .get(
                        "/api/analytics/timeseries?metric=opens&interval=hour"
                        "&from=2026-01-15T12:00:00Z&to=2026-01-15T15:00:00Z")
                    .json();
  ASSERT_EQ(hourly["points"].size(), 3u);
  EXPECT_EQ(hourly["points"][1]["t"], "2026-01-15T13:00:00+00:00");
  EXPECT_EQ(hourly["points"][1]["value"], 3);
  auto csv = admin.get("/api/analytics/timeseries?format=csv&metric=delivered&from=2026-01-14&to=2026-01-17");
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body,
            "t,delivered\r\n2026-01-14T00:00:00+00:00,0\r\n2026-01-15T00:00:00+00:00,7\r\n"
            "2026-01-16T00:00:00+00:00,1\r\n");
}

// Answers are kept per process while the roll-up's watermark is unchanged:
// two API processes on one database answer the same questions twice (the
// second from their caches), then one more event is rolled up, and the very
// next answer on each process has it — no waiting, no stale answer.
TEST_P(AnalyticsApiTest, AKeptAnswerChangesAtOnceWhenTheRollupMoves) {
  server();
  const auto a = seed();
  wait_rolled_up();
  AuthedServer other(scratch().url());
  const std::string series =
      "/api/analytics/timeseries?metric=delivered&interval=day&tz=America/New_York"
      "&from=2026-01-14T05:00:00Z&to=2026-01-17T05:00:00Z";
  const std::string campaign_series = series + "&campaign_id=" + std::to_string(a);
  const std::string report = "/api/analytics/campaigns/" + std::to_string(a) + "?tz=America/New_York";
  const std::string totals = "/api/analytics/overview?" + kPeriod;
  auto answers = [&](ApiClient& api) {
    json out;
    for (const auto& path : {series, campaign_series, report, totals}) {
      auto r = api.get(path);
      EXPECT_EQ(r.status, 200) << path << ": " << r.body;
      out[path] = r.status == 200 ? r.json() : json();
    }
    return out;
  };
  for (ApiClient* api : {&server().admin(), &other.admin()}) {
    const auto first = answers(*api);
    EXPECT_EQ(answers(*api), first);  // the same, from the process's cache
    EXPECT_EQ(first[series]["points"][1]["value"], 6);
    EXPECT_EQ(first[campaign_series]["points"][1]["value"], 6);
    EXPECT_EQ(first[report]["funnel"]["delivered"], 10);
    EXPECT_EQ(first[totals]["delivered"], 8);
  }

  // One more delivery on 2026-01-15 (New York's 15th), rolled up.
  event(a, 13, "delivered", "2026-01-15T18:00:00Z");
  auto value = [&](const std::string& sql) {
    std::int64_t v = -1;
    db().acquire()->execute(sql, {}, [&](const storage::Row& r) { v = r.is_null(0) ? 0 : r.integer(0); });
    return v;
  };
  const auto last = value("SELECT max(id) FROM campaign_events");
  ASSERT_TRUE(eventually(
      [&] { return value("SELECT last_event_id FROM analytics_watermarks WHERE name = 'events'") >= last; }));
  for (ApiClient* api : {&server().admin(), &other.admin()}) {
    const auto now = answers(*api);
    EXPECT_EQ(now[series]["points"][1]["value"], 7) << now[series].dump();
    EXPECT_EQ(now[campaign_series]["points"][1]["value"], 7);
    EXPECT_EQ(now[report]["funnel"]["delivered"], 11);
    EXPECT_EQ(now[totals]["delivered"], 9);
    EXPECT_EQ(now[totals]["sent"], 11);
  }
}

TEST_P(AnalyticsApiTest, CampaignReportHasTheFunnelTopLinksAndSeries) {
  server();
  const auto a = seed();
  wait_rolled_up();
  auto& admin = server().admin();
  auto r = admin.get("/api/analytics/campaigns/" + std::to_string(a));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["name"], "Spring launch");
  EXPECT_EQ(j["funnel"]["sent"], 12);
  EXPECT_EQ(j["funnel"]["opened"], 3);
  EXPECT_EQ(j["funnel"]["clicked"], 2);
  ASSERT_EQ(j["top_links"].size(), 2u);
  EXPECT_EQ(j["top_links"][0]["url"], "https://example.org/a");
  EXPECT_EQ(j["top_links"][0]["clicks"], 2);
  EXPECT_EQ(j["top_links"][0]["unique_clicks"], 1);
  std::int64_t sent = 0;
  for (const auto& p : j["timeseries"]["points"]) sent += p["sent"].get<std::int64_t>();
  EXPECT_EQ(sent, 12);
  auto csv = admin.get("/api/analytics/campaigns/" + std::to_string(a) + "?format=csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("link,https://example.org/a,2,1\r\n"), std::string::npos) << csv.body;
  expect_problem(admin.get("/api/analytics/campaigns/999999"), 404);
}

TEST_P(AnalyticsApiTest, BadInputsAre422NamingTheField) {
  auto& admin = server().admin();
  auto field = [&](const std::string& path) {
    auto r = admin.get(path);
    EXPECT_EQ(r.status, 422) << path << " " << r.body;
    if (r.status != 422) return std::string();
    auto errors = r.json()["errors"];
    return errors.empty() ? std::string() : errors[0]["field"].get<std::string>();
  };
  EXPECT_EQ(field("/api/analytics/overview?from=yesterday"), "from");
  EXPECT_EQ(field("/api/analytics/overview?to=2026-02-30T00:00:00Z"), "to");
  EXPECT_EQ(field("/api/analytics/overview?from=2026-02-01&to=2026-01-01"), "from");
  EXPECT_EQ(field("/api/analytics/overview?format=xml"), "format");
  EXPECT_EQ(field("/api/analytics/timeseries"), "metric");
  EXPECT_EQ(field("/api/analytics/timeseries?metric=revenue"), "metric");
  EXPECT_EQ(field("/api/analytics/timeseries?metric=sent&interval=week"), "interval");
  EXPECT_EQ(field("/api/analytics/timeseries?metric=sent&tz=Mars/Olympus_Mons"), "tz");
  EXPECT_EQ(field("/api/analytics/timeseries?metric=sent&tz=../../etc/passwd"), "tz");
  EXPECT_EQ(field("/api/analytics/timeseries?metric=sent&campaign_id=abc"), "campaign_id");
  EXPECT_EQ(field("/api/analytics/timeseries?metric=sent&campaign_id=-3"), "campaign_id");
  EXPECT_EQ(field("/api/analytics/timeseries?metric=sent&interval=hour&from=2025-01-01&to=2026-01-01"), "from");
  EXPECT_EQ(field("/api/analytics/campaigns/1?interval=minute"), "interval");
  expect_problem(admin.get("/api/analytics/timeseries?metric=sent&campaign_id=424242"), 404);
}

TEST_P(AnalyticsApiTest, AnalyticsReadIsNeeded) {
  auto& s = server();
  auto viewer = s.as("viewer");
  EXPECT_EQ(viewer.get("/api/analytics/overview").status, 200);
  EXPECT_EQ(viewer.get("/api/analytics/timeseries?metric=sent").status, 200);
  auto role = s.admin().post("/api/admin/roles", {{"name", "lead-reader"}, {"permissions", {"lead:read"}}});
  ASSERT_EQ(role.status, 201) << role.body;
  s.create_user("reader@example.com", "lead-reader");
  ApiClient reader(s.port(), login(s.port(), "reader@example.com", "password-123")["token"]);
  expect_problem(reader.get("/api/analytics/overview"), 403);
  expect_problem(reader.get("/api/analytics/timeseries?metric=sent"), 403);
  expect_problem(reader.get("/api/analytics/campaigns/1"), 403);
  ApiClient anonymous(s.port());
  expect_problem(anonymous.get("/api/analytics/overview"), 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, AnalyticsApiTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
