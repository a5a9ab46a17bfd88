// Recipient leases: a sender that renews its lease learns which of its
// claimed recipients it still holds. One whose lease ran out and that another
// sender claimed meanwhile is not among them, so the first sender skips it
// instead of mailing that lead a second time (campaigns/sender.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "campaigns/recipient_store.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/test_databases.hpp"

namespace herald::campaigns {
namespace {

class RecipientLeaseTest : public test::BackendTest {
 protected:
  std::string sql(std::string_view text) const { return test::sql_for(backend(), text); }
};

TEST_P(RecipientLeaseTest, RenewingALeaseAnswersOnlyTheRecipientsStillHeld) {
  storage::migrate(db());
  constexpr int kLeads = 6;
  std::int64_t campaign = 0;
  std::vector<std::int64_t> ids;
  {
    auto conn = db().acquire();
    conn->execute(sql("INSERT INTO campaigns (name, template_id, audience, status, created_at, updated_at) "
                      "VALUES ('c', 1, '{\"all\":true}', 'sending', '2026-01-01T00:00:00.000Z', "
                      "'2026-01-01T00:00:00.000Z') RETURNING id"),
                  {}, [&](const storage::Row& r) { campaign = r.integer(0); });
    for (std::int64_t lead = 1; lead <= kLeads; ++lead)
      conn->execute(sql("INSERT INTO campaign_recipients (campaign_id, lead_id, email, state, due_at, attempts, "
                        "updated_at) VALUES ($1, $2, $3, 'queued', 0, 0, 0) RETURNING id"),
                    {campaign, lead, std::string_view("l" + std::to_string(lead) + "@example.org")},
                    [&](const storage::Row& r) { ids.push_back(r.integer(0)); });
  }
  std::sort(ids.begin(), ids.end());
  const auto first = ids.front(), last = ids.back();
  RecipientStore store;
  auto conn = db().acquire();

  // Sender A claims every recipient with a lease until t=2000.
  const auto a = store.claim(*conn, campaign, first, last, 1000, 2000, "sender-a", kLeads);
  ASSERT_EQ(a.size(), static_cast<std::size_t>(kLeads));
  // Within the lease, renewing answers all of them.
  auto held = store.extend_lease(*conn, campaign, first, last, "sender-a", 2500);
  std::sort(held.begin(), held.end());
  EXPECT_EQ(held, ids);
  // Nobody else can claim them while the lease runs.
  EXPECT_TRUE(store.claim(*conn, campaign, first, last, 2400, 9000, "sender-b", 2).empty());

  // A stalls past its lease; B claims the first two of them.
  const auto b = store.claim(*conn, campaign, first, last, 3000, 9000, "sender-b", 2);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].id, ids[0]);
  EXPECT_EQ(b[1].id, ids[1]);
  // A's renewal (late, its lease ran out) answers only what nobody took: the
  // rest of its chunk is still its own.
  held = store.extend_lease(*conn, campaign, first, last, "sender-a", 4000);
  std::sort(held.begin(), held.end());
  EXPECT_EQ(held, std::vector<std::int64_t>(ids.begin() + 2, ids.end()));
  // B's lease is untouched by A's renewal.
  std::int64_t b_until = 0;
  conn->execute(sql("SELECT min(lease_until) FROM campaign_recipients WHERE lease_owner = 'sender-b'"), {},
                [&](const storage::Row& r) { b_until = r.integer(0); });
  EXPECT_EQ(b_until, 9000);
  // A recipient A already recorded is not renewed either.
  conn->execute(sql("UPDATE campaign_recipients SET state = 'sent', lease_owner = NULL WHERE id = $1"), {ids[2]});
  held = store.extend_lease(*conn, campaign, first, last, "sender-a", 5000);
  std::sort(held.begin(), held.end());
  EXPECT_EQ(held, std::vector<std::int64_t>(ids.begin() + 3, ids.end()));
}

INSTANTIATE_TEST_SUITE_P(Backends, RecipientLeaseTest, test::all_backends(), test::backend_test_name);

}  // namespace
}  // namespace herald::campaigns
