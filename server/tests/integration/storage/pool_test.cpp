// The connection pool: limits, reuse, waiting, failure handling, threads.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "storage/database.hpp"
#include "support/test_databases.hpp"

namespace herald::storage {
namespace {

using namespace std::chrono_literals;

class PoolTest : public test::BackendTest {
 protected:
  // Temporary tables belong to one connection, so one identifies it.
  static void mark(Connection& conn) { conn.execute_script("CREATE TEMP TABLE pool_marker (x INTEGER)"); }
  static bool is_marked(Connection& conn) {
    try {
      conn.execute("SELECT x FROM pool_marker");
      return true;
    } catch (const DbError&) {
      return false;
    }
  }
};

TEST_P(PoolTest, ExhaustedPoolThrowsUnavailableAfterTheTimeout) {
  const auto small = scratch().open({.pool_size = 1, .acquire_timeout = 150ms});
  auto held = small->acquire();
  const auto start = std::chrono::steady_clock::now();
  try {
    small->acquire();
    FAIL() << "a second lease was handed out";
  } catch (const Unavailable& e) {
    EXPECT_NE(std::string(e.what()).find("pool size 1"), std::string::npos) << e.what();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, 140ms);
}

TEST_P(PoolTest, ReturnedConnectionsAreReused) {
  const auto pool = scratch().open({.pool_size = 2});
  {
    auto conn = pool->acquire();
    mark(*conn);
  }
  auto conn = pool->acquire();
  EXPECT_TRUE(is_marked(*conn));
}

TEST_P(PoolTest, DiscardedConnectionsAreClosed) {
  const auto pool = scratch().open({.pool_size = 1});
  {
    auto conn = pool->acquire();
    mark(*conn);
    conn.discard();
  }
  auto conn = pool->acquire();
  EXPECT_FALSE(is_marked(*conn));
}

TEST_P(PoolTest, AWaiterGetsTheNextReturnedConnection) {
  const auto pool = scratch().open({.pool_size = 1, .acquire_timeout = 5s});
  std::optional<Lease> held(pool->acquire());
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    auto conn = pool->acquire();
    got = conn->execute("SELECT 1") == 1;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(got);
  held.reset();
  waiter.join();
  EXPECT_TRUE(got);
}

TEST_P(PoolTest, ALeaseMayOutliveItsDatabase) {
  auto pool = scratch().open({.pool_size = 2});
  auto idle = pool->acquire();
  auto conn = pool->acquire();
  { auto released = std::move(idle); }  // one idle connection when the pool closes
  pool.reset();
  EXPECT_EQ(conn->execute("SELECT 1"), 1);
}

TEST_P(PoolTest, MovedFromLeaseReturnsNothing) {
  const auto pool = scratch().open({.pool_size = 1, .acquire_timeout = 100ms});
  {
    auto first = pool->acquire();
    Lease second(std::move(first));
    EXPECT_EQ(second->execute("SELECT 1"), 1);
  }
  EXPECT_EQ(pool->acquire()->execute("SELECT 1"), 1);
}

TEST_P(PoolTest, EightThreadsLeaseWriteAndRead) {
  const auto pool = scratch().open({.pool_size = 4, .acquire_timeout = 30s});
  pool->acquire()->execute_script("CREATE TABLE hits (thread INTEGER NOT NULL, n INTEGER NOT NULL)");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  const auto insert = test::sql_for(backend(), "INSERT INTO hits (thread, n) VALUES ($1, $2)");
  const auto count = test::sql_for(backend(), "SELECT count(*) FROM hits WHERE thread = $1");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kPerThread; ++i) {
          auto conn = pool->acquire();
          Transaction tx(*conn, TxMode::Write);
          conn->execute(insert, {std::int64_t{t}, std::int64_t{i}});
          tx.commit();
          std::int64_t mine = 0;
          conn->execute(count, {std::int64_t{t}}, [&](const Row& row) { mine = row.integer(0); });
          if (mine != i + 1) ++failures;
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << "thread " << t << ": " << e.what();
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(pool->acquire()->execute("SELECT thread FROM hits"), kThreads * kPerThread);
}

INSTANTIATE_TEST_SUITE_P(Backends, PoolTest, test::all_backends(), test::backend_test_name);

// SQLite connections have no server to lose.
using PostgresPoolTest = PoolTest;

TEST_P(PostgresPoolTest, AKilledConnectionIsUnavailableAndDropped) {
  const auto pool = scratch().open({.pool_size = 1});
  std::int64_t pid = 0;
  {
    auto conn = pool->acquire();
    conn->execute("SELECT pg_backend_pid()", {}, [&](const Row& row) { pid = row.integer(0); });
    scratch().open({.pool_size = 1})->acquire()->execute("SELECT pg_terminate_backend($1)", {pid});
    EXPECT_THROW(conn->execute("SELECT 1"), Unavailable);
    EXPECT_FALSE(conn->reusable());
  }
  std::int64_t new_pid = 0;
  pool->acquire()->execute("SELECT pg_backend_pid()", {}, [&](const Row& row) { new_pid = row.integer(0); });
  EXPECT_NE(new_pid, pid);
}

INSTANTIATE_TEST_SUITE_P(Backends, PostgresPoolTest, test::postgres_only(), test::backend_test_name);

}  // namespace
}  // namespace herald::storage
