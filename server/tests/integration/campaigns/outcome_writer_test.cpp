// OutcomeWriter: the sending threads' outcome writes share commits, every
// write is committed when write() returns, and a failing write fails only
// its own caller.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "campaigns/outcome_writer.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/test_databases.hpp"

namespace herald::campaigns {
namespace {

class OutcomeWriterTest : public test::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    db().acquire()->execute_script("CREATE TABLE outcomes (id INTEGER PRIMARY KEY, thread INTEGER NOT NULL);");
  }
  std::string sql(std::string_view text) const { return test::sql_for(backend(), text); }
  std::int64_t rows() {
    std::int64_t n = -1;
    db().acquire()->execute("SELECT count(*) FROM outcomes", {}, [&](const storage::Row& r) { n = r.integer(0); });
    return n;
  }
  OutcomeWriter::Write insert(std::int64_t id, std::int64_t thread) {
    return [this, id, thread](storage::Connection& c) {
      c.execute(sql("INSERT INTO outcomes (id, thread) VALUES ($1, $2)"), {id, thread});
    };
  }
};

TEST_P(OutcomeWriterTest, EveryWriteFromManyThreadsIsCommittedWhenWriteReturns) {
  OutcomeWriter writer(db());
  constexpr int kThreads = 6, kEach = 150;
  std::atomic<int> unseen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::int64_t id = t * 100000 + i + 1;
        writer.write(insert(id, t));
        // Committed: another connection sees it at once.
        std::int64_t n = 0;
        db().acquire()->execute(sql("SELECT count(*) FROM outcomes WHERE id = $1"), {id},
                                [&](const storage::Row& r) { n = r.integer(0); });
        if (n != 1) ++unseen;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(unseen.load(), 0);
  EXPECT_EQ(rows(), kThreads * kEach);
  EXPECT_EQ(writer.stats().writes, static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_LE(writer.stats().commits, writer.stats().writes);
}

// One thread's write holds the commit while the others hand theirs in: they
// all go in the next transaction, and the duplicate among them fails alone.
TEST_P(OutcomeWriterTest, WritesThatWaitShareOneCommitAndAFailingOneFailsOnlyItsCaller) {
  OutcomeWriter writer(db());
  writer.write(insert(7, 0));  // the row the duplicate will collide with
  std::atomic<bool> holding{false};
  std::thread first([&] {
    writer.write([&](storage::Connection& c) {
      c.execute(sql("INSERT INTO outcomes (id, thread) VALUES ($1, $2)"), {std::int64_t{1}, std::int64_t{1}});
      holding = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    });
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::atomic<int> failed{0}, ok{0};
  std::vector<std::thread> others;
  for (std::int64_t t = 2; t <= 6; ++t) {
    others.emplace_back([&, t] {
      try {
        writer.write(insert(t == 4 ? 7 : 100 + t, t));  // thread 4 repeats id 7
        ++ok;
      } catch (const storage::UniqueViolation&) {
        ++failed;
      }
    });
  }
  first.join();
  for (auto& th : others) th.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(failed.load(), 1);
  EXPECT_EQ(rows(), 1 + 1 + 4);  // id 7, the first thread's row and the four good ones
  // The setup write, the held one, and the five that waited — one shared
  // round (its transaction rolled back by the duplicate, then one by one).
  EXPECT_EQ(writer.stats().writes, 7u);
  EXPECT_LE(writer.stats().commits, 5u);  // 3 when all five queued in time; 7 if none shared
}

// Accepted messages from many threads: each group's are marked sent in one
// statement, only by their lease's holder, each with one "delivered" event
// carrying its time, reply and Message-ID; a lost lease reports false and
// writes nothing.
TEST_P(OutcomeWriterTest, SentOutcomesOfManyThreadsAreMarkedOnceWithTheirEventOnlyByTheLeaseHolder) {
  storage::migrate(db());
  constexpr int kThreads = 6, kEach = 40;
  std::int64_t campaign = 0;
  {
    auto conn = db().acquire();
    conn->execute(sql("INSERT INTO campaigns (name, template_id, audience, status, created_at, updated_at) "
                      "VALUES ('c', 1, '{\"all\":true}', 'sending', '2026-01-01T00:00:00.000Z', "
                      "'2026-01-01T00:00:00.000Z') RETURNING id"),
                  {}, [&](const storage::Row& r) { campaign = r.integer(0); });
    for (std::int64_t lead = 1; lead <= kThreads * kEach; ++lead) {
      // Lead 5's lease belongs to another worker.
      const std::string owner = lead == 5 ? "other" : "owner-" + std::to_string((lead - 1) / kEach);
      conn->execute(
          sql("INSERT INTO campaign_recipients (campaign_id, lead_id, email, state, due_at, lease_owner, "
              "lease_until, attempts, updated_at) VALUES ($1, $2, $3, 'sending', 0, $4, 99999999999999, 1, 0)"),
          {campaign, lead, std::string_view("l" + std::to_string(lead) + "@example.org"), std::string_view(owner)});
    }
  }
  std::map<std::int64_t, std::int64_t> id_of;  // lead → recipient id
  db().acquire()->execute(sql("SELECT lead_id, id FROM campaign_recipients WHERE campaign_id = $1"), {campaign},
                          [&](const storage::Row& r) { id_of[r.integer(0)] = r.integer(1); });
  OutcomeWriter writer(db());
  std::atomic<int> recorded{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string owner = "owner-" + std::to_string(t);
      for (int i = 0; i < kEach; ++i) {
        const std::int64_t lead = t * kEach + i + 1;
        Outcome o{250, "250 2.0.0 Ok: queued as \"X\"", "<" + std::to_string(lead) + "@herald>"};
        if (writer.write_sent({id_of.at(lead), owner, 1000 + lead, &o}))
          ++recorded;
        else
          ++refused;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(recorded.load(), kThreads * kEach - 1);
  EXPECT_EQ(refused.load(), 1);
  auto conn = db().acquire();
  int checked = 0;
  conn->execute(sql("SELECT lead_id, state, sent_at, reply_code, last_reply, message_id, lease_owner "
                    "FROM campaign_recipients WHERE campaign_id = $1"),
                {campaign}, [&](const storage::Row& r) {
                  const auto lead = r.integer(0);
                  if (lead == 5) {
                    EXPECT_EQ(r.str(1), "sending");
                    EXPECT_EQ(r.opt_str(6), std::optional<std::string>("other"));
                  } else {
                    EXPECT_EQ(r.str(1), "sent") << lead;
                    EXPECT_EQ(r.opt_integer(2), std::optional<std::int64_t>(1000 + lead));
                    EXPECT_EQ(r.opt_integer(3), std::optional<std::int64_t>(250));
                    EXPECT_EQ(r.opt_str(4), std::optional<std::string>("250 2.0.0 Ok: queued as \"X\""));
                    EXPECT_EQ(r.opt_str(5), std::optional<std::string>("<" + std::to_string(lead) + "@herald>"));
                    EXPECT_FALSE(r.opt_str(6).has_value());
                  }
                  ++checked;
                });
  EXPECT_EQ(checked, kThreads * kEach);
  std::map<std::int64_t, int> events;
  conn->execute(sql("SELECT lead_id, occurred_at, type FROM campaign_events WHERE campaign_id = $1"), {campaign},
                [&](const storage::Row& r) {
                  EXPECT_EQ(r.str(2), "delivered");
                  EXPECT_EQ(r.integer(1), 1000 + r.integer(0));
                  ++events[r.integer(0)];
                });
  EXPECT_EQ(events.size(), static_cast<std::size_t>(kThreads * kEach - 1));
  EXPECT_EQ(events.count(5), 0u);
  for (const auto& [lead, n] : events) EXPECT_EQ(n, 1) << lead;
  // A second report of the same message (a retried job) changes nothing.
  Outcome again{250, "again", "<again>"};
  EXPECT_FALSE(writer.write_sent({id_of.at(1), "owner-0", 5, &again}));
}

INSTANTIATE_TEST_SUITE_P(Backends, OutcomeWriterTest, test::all_backends(), test::backend_test_name);

}  // namespace
}  // namespace herald::campaigns
