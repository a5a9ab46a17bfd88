// Pause, resume and cancel while a campaign is sending.
#include <gtest/gtest.h>

#include "integration/campaigns/fixture.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

class CampaignControlTest : public CampaignTest {
 protected:
  // A campaign to `n` leads throttled to 2 a second, already sending.
  std::int64_t throttled(int n) {
    mail_server();
    const auto tid = create_template();
    create_leads(n);
    auto sent = create_campaign(
        {{"template_id", tid}, {"audience", {{"all", true}}}, {"throttle_per_minute", 120}, {"send_now", true}});
    return sent["id"].get<std::int64_t>();
  }
  std::string path(std::int64_t id, const std::string& action) {
    return "/api/campaigns/" + std::to_string(id) + action;
  }
};

TEST_P(CampaignControlTest, PauseStopsSendingAndResumeFinishesEachLeadOnce) {
  constexpr int kLeads = 12;
  const auto id = throttled(kLeads);
  ASSERT_TRUE(smtp().wait_for_messages(3));
  auto paused = server().admin().post(path(id, "/pause"), json::object());
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(paused.json()["status"], "paused");
  // A message already handed to the server may still land; then nothing.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto at_pause = smtp().messages().size();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(smtp().messages().size(), at_pause);
  EXPECT_LT(at_pause, static_cast<std::size_t>(kLeads));
  auto c = get_campaign(id);
  EXPECT_EQ(c["stats"]["sent"], static_cast<std::int64_t>(at_pause));
  EXPECT_EQ(c["stats"]["sending"], 0);  // nothing is held while paused

  auto resumed = server().admin().post(path(id, "/resume"), json::object());
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  auto done = wait_status(id, "completed");
  EXPECT_EQ(done["stats"]["sent"], kLeads);
  const auto ids = message_ids(smtp().messages());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kLeads));
  for (const auto& [mid, n] : ids) EXPECT_EQ(n, 1) << mid;
}

TEST_P(CampaignControlTest, CancelStopsForGood) {
  constexpr int kLeads = 12;
  const auto id = throttled(kLeads);
  ASSERT_TRUE(smtp().wait_for_messages(2));
  auto cancelled = server().admin().post(path(id, "/cancel"), json::object());
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json()["status"], "cancelled");
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const auto n = smtp().messages().size();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(smtp().messages().size(), n);
  auto c = get_campaign(id);
  EXPECT_EQ(c["status"], "cancelled");
  EXPECT_EQ(c["stats"]["sent"], static_cast<std::int64_t>(n));
  EXPECT_EQ(c["stats"]["sent"].get<std::int64_t>() + c["stats"]["cancelled"].get<std::int64_t>(), kLeads) << c.dump();
  expect_problem(server().admin().post(path(id, "/resume"), json::object()), 409);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignControlTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
