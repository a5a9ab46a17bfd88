// SQLite's writers within one process pass one at a time through a gate
// (storage/sqlite.cpp, WriterGate) instead of sleeping in SQLite's busy
// handler. These tests hold it to what it must never do: lose a write, keep
// the gate after a transaction ended in any way, or hang a thread that writes
// on a second connection from inside its own transaction.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "support/test_databases.hpp"

namespace herald::storage {
namespace {

using namespace std::chrono_literals;

// Long enough that a gate left taken would show: the next writer would wait
// this long for it. The tests allow a third of it, generous on a loaded machine.
constexpr auto kBusyTimeout = 60s;
constexpr auto kPrompt = 20s;

class SqliteWritersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = scratch_.open({.pool_size = 16, .busy_timeout = kBusyTimeout});
    db_->acquire()->execute_script("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  }
  std::int64_t count() { return db_->acquire()->execute("SELECT id FROM notes"); }

  // Runs a write transaction on another thread and says whether it committed
  // within kPrompt (it would wait kBusyTimeout for a gate never given back).
  bool next_writer_is_prompt(std::int64_t id) {
    auto done = std::async(std::launch::async, [&, id] {
      auto conn = db_->acquire();
      Transaction tx(*conn, TxMode::Write);
      conn->execute("INSERT INTO notes (id, body) VALUES (?1, 'next')", {id});
      tx.commit();
    });
    const bool prompt = done.wait_for(kPrompt) == std::future_status::ready;
    done.get();
    return prompt;
  }

  test::ScratchDatabase scratch_{Backend::Sqlite};
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteWritersTest, TwelveThreadsWritingAtOnceLoseNoWrite) {
  constexpr int kThreads = 12;
  constexpr int kEach = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        try {
          auto conn = db_->acquire();
          const std::int64_t id = (t * kEach + i) * 2;
          if (i % 2 == 0) {
            Transaction tx(*conn, TxMode::Write);
            conn->execute("INSERT INTO notes (id, body) VALUES (?1, 'tx')", {id});
            conn->execute("INSERT INTO notes (id, body) VALUES (?1, 'tx')", {id + 1});
            tx.commit();
          } else {
            conn->execute("INSERT INTO notes (id, body) VALUES (?1, 'autocommit')", {id});  // no transaction
            conn->execute("INSERT INTO notes (id, body) VALUES (?1, 'autocommit')", {id + 1});
          }
          conn->execute("SELECT id FROM notes WHERE id = ?1", {id});  // readers pass freely
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count(), kThreads * kEach * 2);
}

TEST_F(SqliteWritersTest, TheGateIsGivenBackAfterCommitRollbackAndAFailedStatement) {
  {
    auto conn = db_->acquire();
    Transaction tx(*conn, TxMode::Write);
    conn->execute("INSERT INTO notes (id, body) VALUES (1, 'a')");
    tx.commit();
  }
  EXPECT_TRUE(next_writer_is_prompt(100)) << "after a commit";
  {
    auto conn = db_->acquire();
    conn->begin(TxMode::Write);
    conn->execute("INSERT INTO notes (id, body) VALUES (2, 'b')");
    conn->rollback();
  }
  EXPECT_TRUE(next_writer_is_prompt(101)) << "after a rollback";
  try {
    auto conn = db_->acquire();
    Transaction tx(*conn, TxMode::Write);
    conn->execute("INSERT INTO notes (id, body) VALUES (1, 'duplicate')");
    tx.commit();
    ADD_FAILURE() << "duplicate accepted";
  } catch (const UniqueViolation&) {
  }
  EXPECT_TRUE(next_writer_is_prompt(102)) << "after a transaction rolled back by an exception";
  {
    auto conn = db_->acquire();
    EXPECT_THROW(conn->execute("INSERT INTO notes (id, body) VALUES (1, 'duplicate')"), UniqueViolation);
  }
  EXPECT_TRUE(next_writer_is_prompt(103)) << "after a failed write outside a transaction";
  {
    auto conn = db_->acquire();
    conn->begin(TxMode::Write);
    conn->execute("INSERT INTO notes (id, body) VALUES (3, 'never committed')");
    EXPECT_FALSE(conn->reusable());
  }  // the lease drops the connection, and its transaction with it
  EXPECT_TRUE(next_writer_is_prompt(104)) << "after a connection dropped inside its transaction";
  EXPECT_EQ(count(), 6);  // 1 and 100..104
}

TEST_F(SqliteWritersTest, AWriteOnASecondConnectionFromInsideATransactionFailsInsteadOfHanging) {
  const auto quick = scratch_.open({.pool_size = 2, .busy_timeout = 300ms});
  auto outcome = std::async(std::launch::async, [&]() -> std::string {
    auto first = quick->acquire();
    Transaction tx(*first, TxMode::Write);
    first->execute("INSERT INTO notes (id, body) VALUES (1, 'first')");
    auto second = quick->acquire();
    try {
      second->execute("INSERT INTO notes (id, body) VALUES (2, 'second')");
      return "the second write went through";
    } catch (const DbError& e) {
      tx.commit();
      return e.what();
    }
  });
  ASSERT_EQ(outcome.wait_for(kPrompt), std::future_status::ready) << "the thread hangs on its own lock";
  EXPECT_NE(outcome.get().find("database is locked"), std::string::npos);
  EXPECT_EQ(count(), 1);
}

}  // namespace
}  // namespace herald::storage
