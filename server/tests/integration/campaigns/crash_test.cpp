// Exactly once across crashes: kill -9 of a `herald worker` in the middle of
// a campaign, on both databases and both queues; and (issue 17) a Redis
// without persistence killed and restarted mid-campaign. Every lead gets one
// message, counted at the SMTP server by Message-ID.
//
// The recipients are "slow…" addresses (the server waits a second before
// accepting RCPT TO), so the kill lands while transactions are open but
// before their data: the one window of ambiguity (the server said 250, the
// recipient is not yet marked sent) lasts about a millisecond per message
// and is documented in docs/architecture.md, not hit by this test.
#include <gtest/gtest.h>

#include <signal.h>

#include "integration/campaigns/fixture.hpp"
#include "jobs/worker.hpp"
#include "support/process.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

enum class Queue { Database, Redis };

class CampaignCrashTest : public CampaignTest {
 protected:
  std::vector<std::string> worker_env(const std::string& redis_url) {
    std::vector<std::string> env = {"HERALD_DATA_DIR=" + data_.path().string(),
                                    "HERALD_DATABASE_URL=" + scratch().url(),
                                    "HERALD_JWT_SECRET=" + std::string(kTestJwtSecret),
                                    "HERALD_SMTP_URL=" + smtp().url({}, "starttls=never"),
                                    "HERALD_SMTP_POOL=4",
                                    "HERALD_PUBLIC_URL=https://mail.herald.test",
                                    // Recipient leases are twice this: a live worker renews
                                    // them with at least half left before each message, and
                                    // each message here takes a second at the server (more
                                    // on a loaded machine), so 1s would let them lapse mid-send.
                                    "HERALD_JOB_VISIBILITY_TIMEOUT=3s",
                                    "HERALD_LOG_FORMAT=json"};
    if (!redis_url.empty()) env.push_back("HERALD_REDIS_URL=" + redis_url);
    return env;
  }
  std::unique_ptr<ChildProcess> start_worker(const std::string& redis_url, const std::string& log_name) {
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{HERALD_BINARY, "worker", "--queues", "emails", "--concurrency", "4"},
        worker_env(redis_url), data_.path() / log_name);
  }

  void kill_a_worker_mid_campaign(Queue queue) {
    constexpr int kLeads = 40;
    smtp(SmtpServerOptions{.slow = 1.0});
    std::unique_ptr<VolatileRedis> redis;
    std::string redis_url;
    if (queue == Queue::Redis) {
      redis = std::make_unique<VolatileRedis>(data_.path() / "redis");
      redis->start();
      redis_url = redis->url();
    }
    // The API process expands campaigns; sending is left to `herald worker`.
    auto& s = mail_server(
        [&](Config& c) {
          if (!redis_url.empty()) c.redis_url = redis_url;
        },
        [](app::AppOptions& o) {
          auto w = std::make_shared<jobs::WorkerOptions>();
          w->queues = {"campaigns"};
          w->concurrency = 2;
          w->visibility = std::chrono::milliseconds(3000);
          o.worker_options = w;
        });
    const auto tid = create_template();
    create_leads(kLeads, "slow");
    auto first = start_worker(redis_url, "worker1.log");
    auto sent = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}, {"send_now", true}});
    const auto id = sent["id"].get<std::int64_t>();
    ASSERT_TRUE(smtp().wait_for_messages(8));
    first->signal(SIGKILL);
    first->wait();
    const auto at_kill = smtp().messages().size();
    ASSERT_LT(at_kill, static_cast<std::size_t>(kLeads)) << "the campaign finished before the kill";
    // The dead worker's claims stay with it until their lease runs out; then
    // the next worker takes them.
    auto second = start_worker(redis_url, "worker2.log");
    auto done = wait_status(id, "completed", std::chrono::seconds(180));
    EXPECT_EQ(done["stats"]["sent"], kLeads) << done.dump();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto messages = smtp().messages();
    const auto ids = message_ids(messages);
    // Every lead got its message: one Message-ID per lead.
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kLeads));
    // The window of ambiguity (docs/architecture.md): a message the sink took
    // while the killed worker had not recorded it yet is sent again — at most
    // one per connection the killed worker had open, with the same
    // Message-ID, so the copy is recognisable downstream.
    constexpr std::size_t kKilledWorkersConnections = 4;  // HERALD_SMTP_POOL
    std::size_t repeated = 0;
    for (const auto& [mid, n] : ids) {
      EXPECT_LE(n, 2) << mid;
      if (n > 1) repeated += static_cast<std::size_t>(n - 1);
    }
    EXPECT_LE(repeated, kKilledWorkersConnections);
    EXPECT_EQ(messages.size(), static_cast<std::size_t>(kLeads) + repeated);
    (void)s;
  }

  TempDir data_;
};

TEST_P(CampaignCrashTest, KillNineOfAWorkerMidCampaignDatabaseQueue) { kill_a_worker_mid_campaign(Queue::Database); }

TEST_P(CampaignCrashTest, KillNineOfAWorkerMidCampaignRedisQueue) { kill_a_worker_mid_campaign(Queue::Redis); }

// Redis without persistence killed mid-campaign and started again: the jobs
// it held are gone; the reconciler finds the campaign's unsent recipients
// in the database and enqueues their work again.
TEST_P(CampaignCrashTest, ARedisThatForgetsCostsADelayNotAMessage) {
  constexpr int kLeads = 30;
  smtp(SmtpServerOptions{.slow = 0.5});
  VolatileRedis redis(data_.path() / "redis");
  redis.start();
  mail_server([&](Config& c) { c.redis_url = redis.url(); });
  const auto tid = create_template();
  create_leads(kLeads, "slow");
  auto sent = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}, {"send_now", true}});
  const auto id = sent["id"].get<std::int64_t>();
  ASSERT_TRUE(smtp().wait_for_messages(4));
  redis.kill();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  redis.start();
  auto done = wait_status(id, "completed", std::chrono::seconds(180));
  EXPECT_EQ(done["stats"]["sent"], kLeads) << done.dump();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto messages = smtp().messages();
  const auto ids = message_ids(messages);
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kLeads));
  EXPECT_EQ(messages.size(), static_cast<std::size_t>(kLeads));
  for (const auto& [mid, n] : ids) EXPECT_EQ(n, 1) << mid;
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignCrashTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
