// The metrics exposition checked by Prometheus' own linter, with every
// family populated from real sources (a database pool, a Sentry reporter).
#include "observability/metrics.hpp"

#include <gtest/gtest.h>

#include "observability/mail_monitor.hpp"
#include "observability/sentry.hpp"
#include "storage/database.hpp"
#include "support/metrics_text.hpp"
#include "support/sentry_sink.hpp"
#include "support/test_server.hpp"

namespace herald::observability {
namespace {

using namespace std::chrono_literals;

using test::promtool_check;
using test::sample_value;
using Checked = test::PromtoolResult;

TEST(MetricsExposition, PromtoolAcceptsEveryFamily) {
  test::TempDir dir;
  auto db = storage::open_database("sqlite://" + (dir.path() / "m.db").string(), {.pool_size = 3});
  test::SentrySink sink;
  SentrySettings sentry;
  sentry.dsn = parse_sentry_dsn("X", sink.dsn());
  Reporter reporter(sentry);

  Metrics m;
  m.watch_database(*db);
  m.watch_sentry(reporter);
  m.watch_queues([] { return std::vector<QueueDepth>{{"emails", 3, 1, 2, 0, 1.5}, {"campaigns", 0, 0, 0, 0, 0}}; });
  // Odd labels: quotes, backslashes and newlines must be escaped in the output.
  auto& odd = m.http().route("/api/x/{id}\"\\\n", "GET");
  odd.record(200, 1ms);
  auto& leads = m.http().route("/api/leads", "POST");
  leads.record(201, 3ms);
  leads.record(422, 1ms);
  leads.record(500, 2s);
  m.http().unmatched("PROPFIND").record(404, 10us);
  m.http().rate_class("api").refused();
  m.http().rate_class("login");
  m.queue("emails").finished(JobOutcome::Completed, 12ms);
  m.queue("campaigns").finished(JobOutcome::Failed, 3s);
  MailMonitor mail(m);
  mail.message_sent(mail::SendOutcome::Sent);
  mail.message_sent(mail::SendOutcome::Rejected);
  m.smtp_pool(1, 3);
  reporter.capture_exception(std::runtime_error("x"), {});
  ASSERT_TRUE(reporter.flush(20s));
  {
    auto lease = db->acquire();
    const std::string text = m.render();
    const Checked check = promtool_check(text, dir.path());
    EXPECT_EQ(check.exit_code, 0) << check.output << "\n" << text;
    EXPECT_EQ(sample_value(text, R"(herald_db_pool_connections{state="in_use"})"), 1);
    EXPECT_EQ(sample_value(text, "herald_db_pool_max_connections"), 3);
    EXPECT_EQ(sample_value(text, R"(herald_sentry_events_total{outcome="sent"})"), 1);
    EXPECT_EQ(sample_value(text, R"(herald_http_requests_total{method="OTHER",route="unmatched",status="404"})"), 1);
    EXPECT_EQ(sample_value(text, R"(herald_http_requests_total{method="POST",route="/api/leads",status="500"})"), 1);
  }
  // The pool gauge follows the pool.
  const std::string after = m.render();
  EXPECT_EQ(sample_value(after, R"(herald_db_pool_connections{state="in_use"})"), 0);
  EXPECT_EQ(sample_value(after, R"(herald_db_pool_connections{state="idle"})"), 1);
  EXPECT_GE(sample_value(after, "herald_db_pool_wait_seconds_count"), 1);
}

TEST(MetricsExposition, PromtoolRefusesABadlyNamedMetric) {
  // The check above can fail: promtool does lint what it is given.
  test::TempDir dir;
  const Checked check = promtool_check("# HELP latency_ms a\n# TYPE latency_ms counter\nlatency_ms 1\n", dir.path());
  EXPECT_NE(check.exit_code, 0);
}

TEST(MetricsExposition, PoolWaitsAreCounted) {
  test::TempDir dir;
  auto db =
      storage::open_database("sqlite://" + (dir.path() / "w.db").string(), {.pool_size = 1, .acquire_timeout = 50ms});
  Metrics m;
  m.watch_database(*db);
  {
    auto held = db->acquire();
    EXPECT_THROW(db->acquire(), storage::Unavailable);  // waits 50 ms, then gives up
  }
  const std::string text = m.render();
  EXPECT_EQ(sample_value(text, "herald_db_pool_timeouts_total"), 1);
  EXPECT_GE(sample_value(text, "herald_db_pool_wait_seconds_sum"), 0.04);
  const auto stats = db->pool_stats();
  EXPECT_EQ(stats.waited, 1u);
  EXPECT_EQ(stats.timeouts, 1u);
}

}  // namespace
}  // namespace herald::observability
