// EventWriter on both backends: a batch of opens and clicks is written
// exactly (every event, in order, with its fields) and each recipient's
// first open and first click are stamped right, whatever batches they fell
// in; a full buffer drops, counts and goes on.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "campaigns/tracking.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/test_databases.hpp"

namespace herald::campaigns {
namespace {

constexpr std::int64_t kT0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr std::int64_t kLeads = 300;

class TrackingEventWriterTest : public test::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    storage::migrate(db());
    auto conn = db().acquire();
    conn->execute(
        "INSERT INTO campaigns (name, template_id, audience, created_at, updated_at) "
        "VALUES ('tracked', 1, '{}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    conn->execute("SELECT max(id) FROM campaigns", {}, [&](const storage::Row& r) { campaign_ = r.integer(0); });
    storage::Transaction tx(*conn, storage::TxMode::Write);
    for (std::int64_t lead = 1; lead <= kLeads; ++lead) {
      conn->execute(sql("INSERT INTO campaign_recipients (campaign_id, lead_id, email, state, due_at, updated_at) "
                        "VALUES ($1, $2, $3, 'sent', 0, 0)"),
                    {campaign_, lead, std::string_view("r" + std::to_string(lead) + "@example.org")});
    }
    tx.commit();
  }
  std::string sql(std::string_view text) const { return test::sql_for(backend(), text); }
  std::int64_t scalar(const std::string& q) {
    std::int64_t n = -1;
    db().acquire()->execute(q, {}, [&](const storage::Row& r) { n = r.integer(0); });
    return n;
  }

  std::int64_t campaign_ = 0;
};

TEST_P(TrackingEventWriterTest, ABatchIsWrittenExactlyWithTheFirstOpenAndClickOfEachRecipient) {
  // Lead 7 was opened before: its stamp stays. Lead 8 was clicked before:
  // its click stamp stays, its open stamp comes from this batch.
  db().acquire()->execute(sql("UPDATE campaign_recipients SET opened_at = $1 WHERE campaign_id = $2 AND lead_id = 7"),
                          {kT0 - 5000, campaign_});
  db().acquire()->execute(sql("UPDATE campaign_recipients SET clicked_at = $1 WHERE campaign_id = $2 AND lead_id = 8"),
                          {kT0 - 4000, campaign_});

  // More than two write batches' worth, recorded before the writer's first
  // look (a long interval), so the batches split the stream at 2,000 each.
  constexpr std::int64_t kEvents = 4500;
  std::vector<Event> sent;
  std::map<std::int64_t, std::int64_t> first_open, first_click;  // lead → time
  {
    EventWriter writer(db(), std::chrono::seconds(30));
    for (std::int64_t i = 0; i < kEvents; ++i) {
      Event e;
      e.campaign_id = campaign_;
      e.lead_id = 1 + (i * 7919) % (kLeads + 20);  // 20 leads with no recipient row: events only
      e.type = i % 3 == 0 ? "click" : "open";
      e.occurred_at = kT0 + i;
      e.user_agent = "UA/" + std::to_string(i % 5);
      e.ip = "203.0.113." + std::to_string(i % 250);
      if (e.type == "click") e.url = "https://example.org/p?i=" + std::to_string(i % 4) + "&q=\"'";
      if (i == 11) e.user_agent = std::string("nul\0byte", 8);
      first_open.try_emplace(e.lead_id, e.occurred_at);
      if (e.type == "click") first_click.try_emplace(e.lead_id, e.occurred_at);
      sent.push_back(e);
      writer.record(std::move(e));
    }
    writer.flush();
    EXPECT_EQ(writer.dropped(), 0u);
  }

  // Every event, in the order recorded, with its fields.
  std::vector<std::tuple<std::int64_t, std::string, std::int64_t, std::string, std::string, std::optional<std::string>>>
      rows;
  db().acquire()->execute(
      sql("SELECT lead_id, type, occurred_at, user_agent, ip, url FROM campaign_events WHERE campaign_id = $1 "
          "ORDER BY id"),
      {campaign_}, [&](const storage::Row& r) {
        rows.emplace_back(r.integer(0), r.str(1), r.integer(2), r.str(3), r.str(4),
                          r.is_null(5) ? std::nullopt : std::optional<std::string>(r.str(5)));
      });
  ASSERT_EQ(static_cast<std::int64_t>(rows.size()), kEvents);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    const auto& e = sent[i];
    const std::string ua = i == 11 ? "nulbyte" : e.user_agent;
    ASSERT_EQ(rows[i], std::make_tuple(e.lead_id, e.type, e.occurred_at, ua, e.ip, e.url)) << "event " << i;
  }

  // The stamps: the first open or click of each lead, its first click;
  // earlier stamps kept.
  std::map<std::int64_t, std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>> stamps;
  db().acquire()->execute(sql("SELECT lead_id, opened_at, clicked_at FROM campaign_recipients WHERE campaign_id = $1"),
                          {campaign_}, [&](const storage::Row& r) {
                            stamps[r.integer(0)] = {
                                r.is_null(1) ? std::nullopt : std::optional<std::int64_t>(r.integer(1)),
                                r.is_null(2) ? std::nullopt : std::optional<std::int64_t>(r.integer(2))};
                          });
  ASSERT_EQ(static_cast<std::int64_t>(stamps.size()), kLeads);
  for (std::int64_t lead = 1; lead <= kLeads; ++lead) {
    std::optional<std::int64_t> open, click;
    if (auto it = first_open.find(lead); it != first_open.end()) open = it->second;
    if (auto it = first_click.find(lead); it != first_click.end()) click = it->second;
    if (lead == 7) open = kT0 - 5000;
    if (lead == 8) click = kT0 - 4000;
    EXPECT_EQ(stamps[lead].first, open) << "lead " << lead;
    EXPECT_EQ(stamps[lead].second, click) << "lead " << lead;
  }
  // The stream reached every lead, and some leads' first event was an open
  // followed by a click later, so the two stamps differ.
  EXPECT_EQ(static_cast<std::int64_t>(first_open.size()), kLeads + 20);
  EXPECT_TRUE(std::any_of(first_click.begin(), first_click.end(),
                          [&](const auto& kv) { return kv.second != first_open[kv.first]; }));
}

TEST_P(TrackingEventWriterTest, AFullBufferDropsCountsAndWritesTheRest) {
  EventWriter writer(db(), std::chrono::seconds(30), 10);
  for (std::int64_t i = 0; i < 100; ++i) {
    Event e;
    e.campaign_id = campaign_;
    e.lead_id = 1 + i % kLeads;
    e.type = "open";
    e.occurred_at = kT0 + i;
    writer.record(std::move(e));
  }
  EXPECT_EQ(writer.dropped(), 90u);
  writer.flush();
  EXPECT_EQ(scalar(sql("SELECT count(*) FROM campaign_events WHERE campaign_id = " + std::to_string(campaign_))), 10);
  EXPECT_EQ(scalar(sql("SELECT count(*) FROM campaign_recipients WHERE opened_at IS NOT NULL")), 10);
}

INSTANTIATE_TEST_SUITE_P(Backends, TrackingEventWriterTest, test::all_backends(), test::backend_test_name);

}  // namespace
}  // namespace herald::campaigns
