// OutcomeWriter: the sending threads' outcome writes share commits, every
// write is committed when write() returns, and a failing write fails only
// its own caller.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "campaigns/outcome_writer.hpp"
#include "storage/database.hpp"
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

INSTANTIATE_TEST_SUITE_P(Backends, OutcomeWriterTest, test::all_backends(), test::backend_test_name);

}  // namespace
}  // namespace herald::campaigns
