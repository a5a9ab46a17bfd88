// The job system inside the real server: the admin endpoints, the health
// entries, and Redis going away and coming back.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "app/app.hpp"
#include "core/log.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "integration/jobs/fixture.hpp"
#include "jobs/queue.hpp"
#include "jobs/worker.hpp"
#include "support/api_client.hpp"
#include "support/test_databases.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

using std::chrono::milliseconds;

// Herald with a test-only enqueue route and a job handler that records ids.
class JobApp {
 public:
  explicit JobApp(std::function<void(Config&)> tweak) {
    log::init(log::Format::Json, log::Level::Error);
    Config config = test_config(dir_.path());
    config.job_visibility_timeout = milliseconds(3000);
    if (tweak) tweak(config);
    app::AppOptions options{.workers = true, .access_log = false};
    options.extra_routes = [this](http::Router& r) {
      r.add(
          http::Method::Post, "/api/test/enqueue",
          [this](http::Request& req) {
            jobs::JobSpec spec;
            spec.name = req.json().value("name", "test.record");
            spec.queue = "emails";
            spec.max_attempts = req.json().value("max_attempts", 5);
            if (req.json().contains("delay_ms")) {
              spec.run_at = std::chrono::system_clock::now() + milliseconds(req.json()["delay_ms"].get<int>());
            }
            auto id = app_->job_queue().enqueue(spec).id;
            return http::Response::json(202, {{"job_id", id}});
          },
          http::Access::public_route());
    };
    options.extra_jobs = [this](jobs::HandlerRegistry& handlers) {
      handlers.add("test.record", [this](jobs::JobContext& ctx) {
        std::lock_guard lock(mutex_);
        done_.insert(ctx.id());
      });
      handlers.add("test.fail", [](jobs::JobContext&) { throw std::runtime_error("mailbox full"); });
    };
    app_ = std::make_unique<app::App>(config, std::move(options));
    port_ = app_->start();
    token_ = login(port_, std::string(kAdminEmail), std::string(kAdminPassword)).value("token", "");
  }
  ~JobApp() {
    app_->stop();
    app_->wait();
  }

  HttpClient& client() {
    if (!client_) {
      client_ = std::make_unique<HttpClient>(port_);
      client_->set_default_headers({{"Authorization", "Bearer " + token_}});
    }
    return *client_;
  }
  std::size_t done_count() {
    std::lock_guard lock(mutex_);
    return done_.size();
  }
  bool is_done(const std::string& id) {
    std::lock_guard lock(mutex_);
    return done_.contains(id);
  }
  app::App& app() { return *app_; }
  std::uint16_t port() const { return port_; }

 private:
  TempDir dir_;
  std::string token_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  std::unique_ptr<HttpClient> client_;
  std::mutex mutex_;
  std::set<std::string> done_;
};

// The admin API over each queue backend: the embedded queue on SQLite and on
// PostgreSQL, and Redis Streams (a redis-server of its own: Herald uses its
// default key prefix).
class JobAdminApi : public ::testing::TestWithParam<QueueKind> {
 protected:
  void SetUp() override {
    if (GetParam() == QueueKind::Postgres) {
      HERALD_REQUIRE_POSTGRES();
      scratch_ = std::make_unique<ScratchDatabase>(storage::Backend::Postgres);
    }
    if (GetParam() == QueueKind::Redis) {
      redis_ = std::make_unique<RedisProcess>(dir_.path / "redis");
      redis_->start();
    }
  }
  std::function<void(Config&)> backend() {
    return [this](Config& c) {
      if (scratch_) c.database_url = scratch_->url();
      if (redis_) c.redis_url = redis_->url();
    };
  }

  TempDirPath dir_;
  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<RedisProcess> redis_;
};

TEST_P(JobAdminApi, QueuesFailedJobsAndRetry) {
  JobApp app(backend());
  auto& http = app.client();
  auto enqueued = http.post_json("/api/test/enqueue", {{"name", "test.fail"}, {"max_attempts", 1}});
  ASSERT_EQ(enqueued.status, 202);
  const std::string id = enqueued.json()["job_id"];
  ASSERT_TRUE(
      eventually([&] { return app.app().job_queue().get(id)->status == jobs::JobStatus::Dead; }, milliseconds(20000)));

  auto queues = http.get("/api/admin/queues");
  ASSERT_EQ(queues.status, 200);
  auto list = queues.json()["queues"];
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["name"], "emails");
  for (const char* field : {"pending", "scheduled", "active", "failed", "processed_per_minute", "oldest_pending_age_s"})
    EXPECT_TRUE(list[0].contains(field)) << field;
  EXPECT_EQ(list[0]["failed"], 1);

  auto failed = http.get("/api/admin/queues/emails/failed?page=1&page_size=10");
  ASSERT_EQ(failed.status, 200);
  EXPECT_EQ(failed.json()["total"], 1);
  EXPECT_EQ(failed.json()["items"][0]["id"], id);
  EXPECT_EQ(failed.json()["items"][0]["error"], "mailbox full");

  auto unknown = http.get("/api/admin/queues/sms/failed");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.header("Content-Type"), "application/problem+json");
  auto bad_page = http.get("/api/admin/queues/emails/failed?page_size=500");
  EXPECT_EQ(bad_page.status, 422);
  EXPECT_EQ(bad_page.json()["errors"][0]["field"], "page_size");

  auto bad_id = http.post_json("/api/admin/queues/emails/retry", {{"job_id", 42}});
  EXPECT_EQ(bad_id.status, 422);
  EXPECT_EQ(bad_id.json()["errors"][0]["field"], "job_id");
  auto not_json =
      http.request("POST", "/api/admin/queues/emails/retry", "{nope", {{"Content-Type", "application/json"}});
  EXPECT_EQ(not_json.status, 400);
  auto missing = http.post_json("/api/admin/queues/emails/retry", {{"job_id", "01ARYZ6S41TSV4RRFFQ69G5FAV"}});
  EXPECT_EQ(missing.status, 404);

  auto garbage = http.post_json("/api/admin/queues/emails/retry", {{"email", 5}});
  EXPECT_EQ(garbage.status, 422);
  EXPECT_EQ(http.get("/api/admin/queues/emails/failed").json()["total"], 1) << "a refused retry retried";

  auto retried = http.post_json("/api/admin/queues/emails/retry", {{"job_id", id}});
  ASSERT_EQ(retried.status, 200);
  EXPECT_EQ(retried.json()["retried"], 1);
  // Retried, it runs again (and fails again: the handler always does).
  ASSERT_TRUE(eventually(
      [&] {
        auto job = app.app().job_queue().get(id);
        return job->status == jobs::JobStatus::Dead && job->attempts == 1 &&
               http.get("/api/admin/queues/emails/failed").json()["total"] == 1;
      },
      milliseconds(20000)));
  auto all = http.request("POST", "/api/admin/queues/emails/retry");
  EXPECT_EQ(all.status, 200);
  EXPECT_EQ(all.json()["retried"], 1);

  auto health = http.get("/api/health/detailed");
  auto queue = health.json()["services"]["queue"];
  EXPECT_EQ(queue["backend"], GetParam() == QueueKind::Redis ? "redis" : "database");
  EXPECT_GE(queue["workers_alive"].get<int>(), 1);
  EXPECT_TRUE(queue.contains("backlog"));
  EXPECT_EQ(health.json()["services"]["redis"]["status"],
            GetParam() == QueueKind::Redis ? "healthy" : "not_configured");
  EXPECT_EQ(health.json()["services"]["database"]["backend"],
            GetParam() == QueueKind::Postgres ? "postgres" : "sqlite");
}

INSTANTIATE_TEST_SUITE_P(Backends, JobAdminApi, all_queue_kinds(), queue_kind_name);

TEST(JobDetailApi, AJobThatFailedAnAttemptIsRetryingWithItsErrorAndNextAttempt) {
  JobApp app(nullptr);
  auto& http = app.client();
  auto enqueued = http.post_json("/api/test/enqueue", {{"name", "test.fail"}, {"max_attempts", 3}});
  ASSERT_EQ(enqueued.status, 202);
  const std::string id = enqueued.json()["job_id"];
  nlohmann::json job;
  ASSERT_TRUE(eventually(
      [&] {
        job = http.get("/api/admin/jobs/" + id).json();
        return job.value("status", "") == "retrying";
      },
      milliseconds(10000)))
      << job.dump();
  EXPECT_EQ(job["id"], id);
  EXPECT_EQ(job["error"], "mailbox full");
  EXPECT_GE(job["attempts"].get<int>(), 1);
  EXPECT_EQ(job["max_attempts"], 3);
  ASSERT_TRUE(job["next_attempt_at"].is_string());
  EXPECT_EQ(job["next_attempt_at"], job["run_at"]);
  // Gave up: dead, with the reason, and no next attempt.
  ASSERT_TRUE(eventually([&] { return http.get("/api/admin/jobs/" + id).json().value("status", "") == "dead"; },
                         milliseconds(20000)));
  auto dead = http.get("/api/admin/jobs/" + id).json();
  EXPECT_EQ(dead["error"], "mailbox full");
  EXPECT_TRUE(dead["next_attempt_at"].is_null());

  auto unknown = http.get("/api/admin/jobs/01ARYZ6S41TSV4RRFFQ69G5FAV");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(http.get("/api/admin/jobs/not-a-job-id").status, 404);
  EXPECT_EQ(HttpClient(app.port()).get("/api/admin/jobs/" + id).status, 401);
  auto created = http.post_json(
      "/api/admin/users",
      {{"email", "viewer@example.com"}, {"name", "Viewer"}, {"role", "viewer"}, {"password", "password-123"}});
  ASSERT_EQ(created.status, 201) << created.body;
  HttpClient viewer(app.port());
  viewer.set_default_headers(
      {{"Authorization", "Bearer " + login(app.port(), "viewer@example.com", "password-123").value("token", "")}});
  EXPECT_EQ(viewer.get("/api/admin/jobs/" + id).status, 403);
}

TEST(JobRedisOutage, StartsWithoutRedisAnswers503AndLosesNothingAcrossARestart) {
  TempDirPath dir;
  RedisProcess redis(dir.path / "redis");  // not running yet
  JobApp app([&](Config& c) { c.redis_url = redis.url(); });
  auto& http = app.client();

  auto health = http.get("/api/health/detailed").json();
  EXPECT_EQ(health["services"]["redis"]["status"], "unhealthy");
  EXPECT_TRUE(health["services"]["redis"].contains("error"));
  EXPECT_EQ(health["services"]["queue"]["status"], "unhealthy");

  auto refused = http.post_json("/api/test/enqueue", nlohmann::json::object());
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(refused.json()["status"], 503);

  redis.start();
  std::vector<std::string> accepted;
  ASSERT_TRUE(eventually([&] { return http.post_json("/api/test/enqueue", nlohmann::json::object()).status == 202; },
                         milliseconds(20000)));
  EXPECT_EQ(http.get("/api/health/detailed").json()["services"]["redis"]["status"], "healthy");
  for (int i = 0; i < 10; ++i) {
    auto r = http.post_json("/api/test/enqueue", nlohmann::json::object());
    ASSERT_EQ(r.status, 202);
    accepted.push_back(r.json()["job_id"]);
  }
  // Due while Redis is down: they must survive the outage. Their delay is
  // long enough that they are still waiting when it goes down, and the test
  // checks that they were: otherwise it would prove nothing about them.
  constexpr auto kDelay = milliseconds(6000);
  const auto due = std::chrono::steady_clock::now() + kDelay;
  std::vector<std::string> delayed;
  for (int i = 0; i < 10; ++i) {
    auto r = http.post_json("/api/test/enqueue", {{"delay_ms", kDelay.count()}});
    ASSERT_EQ(r.status, 202);
    delayed.push_back(r.json()["job_id"]);
  }
  accepted.insert(accepted.end(), delayed.begin(), delayed.end());
  ASSERT_TRUE(eventually([&] { return app.done_count() >= 11; }, milliseconds(10000)));

  redis.stop();
  for (const auto& id : delayed) ASSERT_FALSE(app.is_done(id)) << "a delayed job ran before the outage began";
  EXPECT_EQ(http.post_json("/api/test/enqueue", nlohmann::json::object()).status, 503);
  EXPECT_EQ(http.get("/api/health/detailed").json()["services"]["redis"]["status"], "unhealthy");
  // Redis stays down until the delayed jobs are due.
  std::this_thread::sleep_until(due + milliseconds(200));

  redis.start();
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& id : accepted)
          if (!app.is_done(id)) return false;
        return true;
      },
      milliseconds(30000)))
      << "accepted jobs were lost";
}

}  // namespace
}  // namespace herald::test
