// Constraint errors map to typed exceptions; transactions commit or roll back.
#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "support/test_databases.hpp"

namespace herald::storage {
namespace {

class ConstraintTest : public test::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    db().acquire()->execute_script(
        "CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
        "CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES teams (id),"
        "  email TEXT NOT NULL, age INTEGER CHECK (age >= 0));"
        "INSERT INTO teams (id, name) VALUES (1, 'core');");
  }
  std::string sql(std::string_view text) const { return test::sql_for(backend(), text); }
};

TEST_P(ConstraintTest, DuplicateUniqueValueIsAUniqueViolation) {
  auto conn = db().acquire();
  EXPECT_THROW(conn->execute(sql("INSERT INTO teams (id, name) VALUES (2, $1)"), {"core"}), UniqueViolation);
}

TEST_P(ConstraintTest, DuplicatePrimaryKeyIsAUniqueViolation) {
  auto conn = db().acquire();
  EXPECT_THROW(conn->execute("INSERT INTO teams (id, name) VALUES (1, 'other')"), UniqueViolation);
}

TEST_P(ConstraintTest, NotNullCheckAndForeignKeyAreConstraintViolations) {
  auto conn = db().acquire();
  const auto insert = sql("INSERT INTO members (id, team_id, email, age) VALUES ($1, $2, $3, $4)");
  const auto expect_constraint = [&](std::initializer_list<Param> params, std::string_view what) {
    try {
      conn->execute(insert, params);
      ADD_FAILURE() << what << " was accepted";
    } catch (const UniqueViolation& e) {
      ADD_FAILURE() << what << " reported as a unique violation: " << e.what();
    } catch (const ConstraintViolation&) {
    }
  };
  expect_constraint({std::int64_t{1}, std::int64_t{1}, nullptr, std::int64_t{30}}, "NULL email");
  expect_constraint({std::int64_t{2}, std::int64_t{1}, "a@example.com", std::int64_t{-1}}, "negative age");
  expect_constraint({std::int64_t{3}, std::int64_t{99}, "b@example.com", std::int64_t{30}}, "unknown team");
  EXPECT_EQ(conn->execute(insert, {std::int64_t{4}, std::int64_t{1}, "c@example.com", nullptr}), 1);
}

TEST_P(ConstraintTest, AConstraintErrorLeavesTheConnectionUsable) {
  auto conn = db().acquire();
  EXPECT_THROW(conn->execute("INSERT INTO teams (id, name) VALUES (1, 'x')"), UniqueViolation);
  EXPECT_TRUE(conn->reusable());
  EXPECT_EQ(conn->execute("SELECT id FROM teams"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConstraintTest, test::all_backends(), test::backend_test_name);

class TransactionTest : public test::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    db().acquire()->execute_script("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  }
  std::int64_t count_from_another_connection() {
    return scratch().open({.pool_size = 1})->acquire()->execute("SELECT id FROM notes");
  }
};

TEST_P(TransactionTest, CommitMakesWritesVisible) {
  auto conn = db().acquire();
  Transaction tx(*conn, TxMode::Write);
  conn->execute("INSERT INTO notes (id, body) VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(count_from_another_connection(), 0);
  tx.commit();
  EXPECT_EQ(count_from_another_connection(), 2);
}

TEST_P(TransactionTest, ExplicitRollbackDiscardsWrites) {
  auto conn = db().acquire();
  conn->begin(TxMode::Write);
  conn->execute("INSERT INTO notes (id, body) VALUES (1, 'a')");
  conn->rollback();
  EXPECT_EQ(conn->execute("SELECT id FROM notes"), 0);
  conn->rollback();  // no transaction: nothing to do
}

TEST_P(TransactionTest, DestructorRollsBackWhenAnExceptionEscapes) {
  auto conn = db().acquire();
  try {
    Transaction tx(*conn, TxMode::Write);
    conn->execute("INSERT INTO notes (id, body) VALUES (1, 'a')");
    conn->execute("INSERT INTO notes (id, body) VALUES (1, 'duplicate')");
    tx.commit();
    FAIL() << "duplicate accepted";
  } catch (const UniqueViolation&) {
  }
  EXPECT_TRUE(conn->reusable());
  EXPECT_EQ(conn->execute("SELECT id FROM notes"), 0);
  EXPECT_EQ(count_from_another_connection(), 0);
}

TEST_P(TransactionTest, ReadTransactionSeesASnapshotItCanCommit) {
  auto conn = db().acquire();
  Transaction tx(*conn, TxMode::Read);
  EXPECT_EQ(conn->execute("SELECT id FROM notes"), 0);
  tx.commit();
  EXPECT_TRUE(conn->reusable());
}

TEST_P(TransactionTest, ALeaseReturnedInsideATransactionIsNotReused) {
  const auto small = scratch().open({.pool_size = 1});
  {
    auto conn = small->acquire();
    conn->begin(TxMode::Write);
    conn->execute("INSERT INTO notes (id, body) VALUES (1, 'never committed')");
    EXPECT_FALSE(conn->reusable());
  }
  auto conn = small->acquire();
  EXPECT_TRUE(conn->reusable());
  Transaction tx(*conn, TxMode::Write);  // would fail inside a leftover transaction
  EXPECT_EQ(conn->execute("SELECT id FROM notes"), 0);
  tx.commit();
}

// PostgreSQL aborts the whole transaction on an error; COMMIT would silently
// roll back, so commit() says so instead.
// (SQLite keeps the transaction open after a failed statement.)
using PostgresTransactionTest = TransactionTest;

TEST_P(PostgresTransactionTest, CommitAfterAFailedStatementThrows) {
  auto conn = db().acquire();
  Transaction tx(*conn, TxMode::Write);
  conn->execute("INSERT INTO notes (id, body) VALUES (1, 'a')");
  EXPECT_THROW(conn->execute("INSERT INTO notes (id, body) VALUES (1, 'b')"), UniqueViolation);
  EXPECT_THROW(tx.commit(), DbError);
  EXPECT_TRUE(conn->reusable());
  EXPECT_EQ(conn->execute("SELECT id FROM notes"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, TransactionTest, test::all_backends(), test::backend_test_name);
INSTANTIATE_TEST_SUITE_P(Backends, PostgresTransactionTest, test::postgres_only(), test::backend_test_name);

}  // namespace
}  // namespace herald::storage
