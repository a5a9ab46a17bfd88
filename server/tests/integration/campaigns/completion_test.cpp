// campaigns.complete_if_done: a campaign is completed only once every
// recipient row exists and none is queued, deferred or sending (PostgreSQL
// asks it with one probe per waiting state, SQLite with one NOT EXISTS).
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

#include "campaigns/store.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/test_databases.hpp"

namespace herald::campaigns {
namespace {

constexpr std::string_view kNow = "2026-01-01T00:00:00Z";

class CampaignCompletionTest : public test::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    storage::migrate(db());
    auto conn = db().acquire();
    conn->execute(
        "INSERT INTO campaigns (name, template_id, audience, status, expanded, created_at, updated_at) "
        "VALUES ('c', 1, '{}', 'sending', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    conn->execute("SELECT max(id) FROM campaigns", {}, [&](const storage::Row& r) { campaign_ = r.integer(0); });
    // Finished recipients first (every final state), then the one whose state each case sets.
    storage::Transaction tx(*conn, storage::TxMode::Write);
    constexpr std::array<std::string_view, 4> kFinals{"sent", "failed", "skipped", "cancelled"};
    for (std::int64_t lead = 1; lead <= 400; ++lead) {
      conn->execute(sql("INSERT INTO campaign_recipients (campaign_id, lead_id, email, state, due_at, updated_at) "
                        "VALUES ($1, $2, 'r@example.org', $3, $4, 0)"),
                    {campaign_, lead, kFinals.at(static_cast<std::size_t>(lead % 4)), lead});
    }
    conn->execute(sql("INSERT INTO campaign_recipients (campaign_id, lead_id, email, state, due_at, updated_at) "
                      "VALUES ($1, 401, 'last@example.org', 'sent', 5, 0)"),
                  {campaign_});
    tx.commit();
  }
  std::string sql(std::string_view text) const { return test::sql_for(backend(), text); }
  void set_last(std::string_view state, std::int64_t due_at) {
    db().acquire()->execute(sql("UPDATE campaign_recipients SET state = $2, due_at = $3 WHERE campaign_id = $1 "
                                "AND lead_id = 401"),
                            {campaign_, state, due_at});
  }
  std::string status() {
    std::string s;
    db().acquire()->execute(sql("SELECT status FROM campaigns WHERE id = $1"), {campaign_},
                            [&](const storage::Row& r) { s = r.str(0); });
    return s;
  }
  bool complete() { return store_.complete_if_done(*db().acquire(), campaign_, std::string(kNow)); }

  CampaignStore store_;
  std::int64_t campaign_ = 0;
};

TEST_P(CampaignCompletionTest, ARecipientQueuedDeferredOrSendingKeepsTheCampaignSending) {
  for (const std::string_view waiting : {"queued", "deferred", "sending"}) {
    for (const std::int64_t due_at : {std::int64_t{0}, std::int64_t{1'000'000}}) {
      set_last(waiting, due_at);
      EXPECT_FALSE(complete()) << waiting << " due at " << due_at;
      EXPECT_EQ(status(), "sending") << waiting;
    }
  }
  set_last("failed", 5);
  EXPECT_TRUE(complete());
  EXPECT_EQ(status(), "completed");
  EXPECT_FALSE(complete());  // once
}

TEST_P(CampaignCompletionTest, AnUnfinishedExpansionKeepsTheCampaignSending) {
  db().acquire()->execute(sql("UPDATE campaigns SET expanded = 0 WHERE id = $1"), {campaign_});
  EXPECT_FALSE(complete());
  EXPECT_EQ(status(), "sending");
  db().acquire()->execute(sql("UPDATE campaigns SET expanded = 1 WHERE id = $1"), {campaign_});
  EXPECT_TRUE(complete());
  EXPECT_EQ(status(), "completed");
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignCompletionTest, test::all_backends(), test::backend_test_name);

}  // namespace
}  // namespace herald::campaigns
