// The Sentry reporter against a local server speaking Sentry's envelope
// endpoint: what arrives, and that a slow, dead or limiting Sentry never
// holds a caller up.
#include "observability/sentry.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "support/sentry_sink.hpp"
#include "support/test_server.hpp"

namespace herald::observability {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto kArrival = 20s;  // generous: the machine is shared

SentrySettings settings_for(const std::string& dsn) {
  SentrySettings s;
  s.dsn = parse_sentry_dsn("HERALD_SENTRY_DSN", dsn);
  s.source = {"herald@9.9.9", "test", "api-test-1"};
  return s;
}

EventContext failing_request() {
  EventContext c;
  c.logger = "herald.http";
  c.method = "PATCH";
  c.route = "/api/leads/{id}";
  c.target = "/api/leads/17?access_token=s3cr3t&fields=email";
  c.base_url = "http://127.0.0.1:8000";
  c.request_id = "req-abc";
  c.status = 500;
  c.user_id = 3;
  c.user_role = "member";
  return c;
}

template <typename F>
std::chrono::nanoseconds timed(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::steady_clock::now() - start;
}

TEST(SentryReporter, DeliversOneEnvelopeWithEveryField) {
  test::SentrySink sink;
  Reporter reporter(settings_for(sink.dsn("abc123", "42")));

  // The request's log lines become the event's breadcrumbs (the lines the
  // log writes: another test of this binary may have raised the level).
  log::init(log::Format::Json, log::Level::Info);
  log::Breadcrumbs crumbs;
  EventContext ctx = failing_request();
  {
    log::RequestScope scope("req-abc", &crumbs);
    log::warn("lead loaded", {{"id", 17}});
    log::error("update failed", {{"table", "leads"}});
  }
  ctx.breadcrumbs = crumbs.entries();
  const auto id = reporter.capture_exception(std::runtime_error("disk on fire"), ctx);
  ASSERT_TRUE(id);

  ASSERT_TRUE(sink.wait_for(1, kArrival));
  ASSERT_TRUE(reporter.flush(kArrival));
  const auto requests = sink.received();
  ASSERT_EQ(requests.size(), 1u);
  const test::SinkRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/api/42/envelope/");
  EXPECT_EQ(r.header("X-Sentry-Auth"),
            std::string("Sentry sentry_version=7, sentry_client=herald/") + HERALD_VERSION + ", sentry_key=abc123");
  EXPECT_EQ(r.header("Content-Type"), "application/x-sentry-envelope");

  const auto env = test::parse_envelope(r.body);
  ASSERT_TRUE(env);
  EXPECT_EQ(env->header["event_id"], *id);
  EXPECT_EQ(env->header["dsn"], sink.dsn("abc123", "42"));
  EXPECT_TRUE(parse_rfc3339(env->header["sent_at"].get<std::string>()));
  EXPECT_EQ(env->item_header["type"], "event");

  const json& e = env->event;
  EXPECT_EQ(e["event_id"], *id);
  EXPECT_EQ(e["platform"], "native");
  EXPECT_EQ(e["level"], "error");
  EXPECT_EQ(e["release"], "herald@9.9.9");
  EXPECT_EQ(e["environment"], "test");
  EXPECT_EQ(e["server_name"], "api-test-1");
  EXPECT_EQ(e["exception"]["values"][0]["type"], "std::runtime_error");
  EXPECT_EQ(e["exception"]["values"][0]["value"], "disk on fire");
  EXPECT_EQ(e["request"]["method"], "PATCH");
  EXPECT_EQ(e["request"]["url"], "http://127.0.0.1:8000/api/leads/17");
  EXPECT_EQ(e["request"]["query_string"], "access_token=[Filtered]&fields=email");
  EXPECT_EQ(e["tags"]["route"], "/api/leads/{id}");
  EXPECT_EQ(e["tags"]["request_id"], "req-abc");
  EXPECT_EQ(e["user"], (json{{"id", "3"}, {"role", "member"}}));
  ASSERT_EQ(e["breadcrumbs"]["values"].size(), 2u);
  EXPECT_EQ(e["breadcrumbs"]["values"][0]["message"], "lead loaded id=17");
  EXPECT_EQ(e["breadcrumbs"]["values"][1]["message"], "update failed table=leads");
  EXPECT_EQ(e["breadcrumbs"]["values"][1]["level"], "error");
  EXPECT_EQ(r.body.find("s3cr3t"), std::string::npos);

  const ReporterStats s = reporter.stats();
  EXPECT_EQ(s.sent, 1u);
  EXPECT_EQ(s.dropped(), 0u);
  EXPECT_EQ(s.queued, 0u);
}

TEST(SentryReporter, JobMessageToAServerUnderAPathPrefix) {
  test::SentrySink sink;
  Reporter reporter(settings_for(sink.dsn("k", "7", "/errors")));
  EventContext job;
  job.logger = "herald.jobs";
  job.queue = "campaigns";
  job.job_name = "leads.import";
  job.job_id = "01JOB";
  const auto id = reporter.capture_message("import gave up", EventLevel::Warning, job);
  ASSERT_TRUE(id);
  ASSERT_TRUE(sink.wait_for(1, kArrival));
  const auto r = sink.received().at(0);
  EXPECT_EQ(r.target, "/errors/api/7/envelope/");
  const auto env = test::parse_envelope(r.body);
  ASSERT_TRUE(env);
  EXPECT_EQ(env->event["message"]["formatted"], "import gave up");
  EXPECT_EQ(env->event["level"], "warning");
  EXPECT_EQ(env->event["tags"]["queue"], "campaigns");
  EXPECT_EQ(env->event["tags"]["job"], "leads.import");
  EXPECT_FALSE(env->event.contains("request"));
}

TEST(SentryReporter, ASilentServerNeverSlowsCallersAndDropsAreCounted) {
  test::SentrySink sink;
  sink.stay_silent();  // accepts, reads, never answers
  ReporterOptions options;
  options.queue_capacity = 4;
  options.send_timeout = 60s;  // the sender stays stuck on the first POST for the whole test
  options.shutdown_grace = 100ms;
  auto reporter = std::make_unique<Reporter>(settings_for(sink.dsn()), options);

  // The first event is taken by the sender; wait until it is on the wire.
  ASSERT_TRUE(reporter->capture_exception(std::runtime_error("first"), failing_request()));
  ASSERT_TRUE(sink.wait_for(1, kArrival));

  std::chrono::nanoseconds slowest{0};
  int queued = 0;
  for (int i = 0; i < 50; ++i) {
    std::optional<std::string> id;
    slowest = std::max(slowest,
                       timed([&] { id = reporter->capture_exception(std::logic_error("more"), failing_request()); }));
    queued += id ? 1 : 0;
  }
  // Each call only builds an event and enqueues it: far below any network wait.
  EXPECT_LT(slowest, 200ms);
  EXPECT_EQ(queued, 4);
  const ReporterStats s = reporter->stats();
  EXPECT_EQ(s.dropped_queue_full, 46u);
  EXPECT_EQ(s.queued, 5u);  // one in flight, four waiting
  EXPECT_EQ(s.sent, 0u);

  // Shutting down cuts the stuck POST short instead of waiting for its timeout.
  const auto shutdown = timed([&] { reporter.reset(); });
  EXPECT_LT(shutdown, 10s);
}

TEST(SentryReporter, ADeadPortCountsFailuresQuickly) {
  const auto port = test::free_port();  // nothing listens there
  Reporter reporter(settings_for("http://k@127.0.0.1:" + std::to_string(port) + "/1"));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(reporter.capture_exception(std::runtime_error("x"), {}));
  ASSERT_TRUE(reporter.flush(kArrival));
  const ReporterStats s = reporter.stats();
  EXPECT_EQ(s.failed, 3u);
  EXPECT_EQ(s.sent, 0u);
  EXPECT_EQ(s.dropped(), 3u);
}

TEST(SentryReporter, RateLimitAnswerHoldsBackLaterEvents) {
  test::SentrySink sink;
  sink.reply_with({429, {{"X-Sentry-Rate-Limits", "120:error:key"}, {"Retry-After", "120"}}, "{}"});
  Reporter reporter(settings_for(sink.dsn()));
  ASSERT_TRUE(reporter.capture_exception(std::runtime_error("first"), {}));
  ASSERT_TRUE(sink.wait_for(1, kArrival));
  ASSERT_TRUE(reporter.flush(kArrival));
  EXPECT_EQ(reporter.stats().dropped_rate_limited, 1u);

  // Held back: not even queued, and nothing more reaches the server.
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(reporter.capture_exception(std::runtime_error("later"), {}));
  ASSERT_TRUE(reporter.flush(kArrival));
  EXPECT_EQ(reporter.stats().dropped_rate_limited, 6u);
  EXPECT_EQ(reporter.stats().sent, 0u);
  EXPECT_EQ(sink.received().size(), 1u);
}

TEST(SentryReporter, AnErrorAnswerIsAFailure) {
  test::SentrySink sink;
  sink.reply_with({500, {}, "oops"});
  Reporter reporter(settings_for(sink.dsn()));
  ASSERT_TRUE(reporter.capture_exception(std::runtime_error("x"), {}));
  ASSERT_TRUE(reporter.flush(kArrival));
  EXPECT_EQ(reporter.stats().failed, 1u);
  // Not a rate limit: the next event is sent.
  sink.reply_with({});
  ASSERT_TRUE(reporter.capture_exception(std::runtime_error("y"), {}));
  ASSERT_TRUE(reporter.flush(kArrival));
  EXPECT_EQ(reporter.stats().sent, 1u);
  EXPECT_EQ(sink.received().size(), 2u);
}

TEST(SentryReporter, SampleRateChoosesWhichEventsAreSent) {
  test::SentrySink sink;
  SentrySettings settings = settings_for(sink.dsn());
  settings.sample_rate = 0.5;
  ReporterOptions options;
  int n = 0;
  options.draw = [&n] { return (n++ % 2 == 0) ? 0.2 : 0.7; };  // kept, dropped, kept, …
  Reporter reporter(settings, options);
  int kept = 0;
  for (int i = 0; i < 6; ++i) kept += reporter.capture_exception(std::runtime_error("x"), {}) ? 1 : 0;
  EXPECT_EQ(kept, 3);
  ASSERT_TRUE(reporter.flush(kArrival));
  EXPECT_EQ(sink.received().size(), 3u);
  EXPECT_EQ(reporter.stats().sampled_out, 3u);
  EXPECT_EQ(reporter.stats().dropped(), 0u);
}

TEST(SentryReporter, WithoutADsnNothingHappens) {
  Reporter reporter(SentrySettings{});
  EXPECT_FALSE(reporter.enabled());
  EXPECT_FALSE(reporter.capture_exception(std::runtime_error("x"), failing_request()));
  EXPECT_FALSE(reporter.capture_message("m", EventLevel::Error, {}));
  EXPECT_FALSE(reporter.stats().enabled);
  EXPECT_TRUE(reporter.flush(1ms));
}

TEST(SentryReporter, SettingsComeFromTheConfig) {
  Config c;
  c.sentry_dsn = parse_sentry_dsn("X", "https://k@sentry.example.com/5");
  c.sentry_environment = "staging";
  c.sentry_release = "herald@2.0.0";
  c.sentry_sample_rate = 0.3;
  const SentrySettings s = SentrySettings::from(c);
  EXPECT_EQ(s.dsn->project_id, "5");
  EXPECT_EQ(s.source.environment, "staging");
  EXPECT_EQ(s.source.release, "herald@2.0.0");
  EXPECT_EQ(s.sample_rate, 0.3);
  EXPECT_FALSE(s.source.server_name.empty());  // the host name
  c.sentry_server_name = "api-7";
  EXPECT_EQ(SentrySettings::from(c).source.server_name, "api-7");
}

}  // namespace
}  // namespace herald::observability
