// Statements, parameters and results on both backends.
#include <gtest/gtest.h>

#include <limits>

#include "storage/database.hpp"
#include "storage/queries.hpp"
#include "support/test_databases.hpp"

namespace herald::storage {
namespace {

using test::sql_for;

class ExecuteTest : public test::BackendTest {
 protected:
  std::string sql(std::string_view text) const { return sql_for(backend(), text); }

  void create_values_table(Connection& conn) const {
    conn.execute_script(backend() == Backend::Sqlite
                            ? "CREATE TABLE vals (id INTEGER PRIMARY KEY, i INTEGER, d REAL, b INTEGER, t TEXT)"
                            : "CREATE TABLE vals (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, "
                              "b BOOLEAN, t TEXT)");
  }

  // A query producing the integers 1..n on both backends.
  static std::string series(int n) {
    return "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " + std::to_string(n) +
           ") SELECT x, 'row ' || x AS label FROM n";
  }
};

TEST_P(ExecuteTest, EveryParamTypeRoundTrips) {
  auto conn = db().acquire();
  create_values_table(*conn);
  struct Case {
    std::int64_t i;
    double d;
    bool b;
    std::string t;
  };
  const std::vector<Case> cases = {
      {0, 0.0, false, ""},
      {-1, -2.5e-300, true, "plain"},
      {std::numeric_limits<std::int64_t>::min(), 1e300, false, "O'Brien said \"hi\"; -- not a comment"},
      {std::numeric_limits<std::int64_t>::max(), 3.141592653589793, true, "Grüße, 日本語, emoji 😀"},
      {(std::int64_t{1} << 53) + 1, 0.1, false, "back\\slash\nnew line\ttab $1 ?1"},
  };
  const auto insert = sql("INSERT INTO vals (id, i, d, b, t) VALUES ($1, $2, $3, $4, $5)");
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const auto& c = cases[k];
    EXPECT_EQ(conn->execute(insert, {static_cast<std::int64_t>(k), c.i, c.d, c.b, std::string_view(c.t)}), 1);
  }
  std::size_t seen = 0;
  conn->execute("SELECT id, i, d, b, t FROM vals ORDER BY id", {}, [&](const Row& row) {
    const auto& c = cases.at(static_cast<std::size_t>(row.integer(0)));
    EXPECT_EQ(row.size(), 5);
    EXPECT_EQ(row.integer(1), c.i);
    EXPECT_EQ(row.real(2), c.d);  // exact: doubles must round-trip bit for bit
    EXPECT_EQ(row.boolean(3), c.b);
    EXPECT_EQ(row.text(4), c.t);
    EXPECT_FALSE(row.is_null(4));
    ++seen;
  });
  EXPECT_EQ(seen, cases.size());
}

TEST_P(ExecuteTest, NullsRoundTrip) {
  auto conn = db().acquire();
  create_values_table(*conn);
  conn->execute(sql("INSERT INTO vals (id, i, d, b, t) VALUES (1, $1, $2, $3, $4)"),
                {nullptr, nullptr, nullptr, nullptr});
  int rows = 0;
  conn->execute("SELECT i, d, b, t FROM vals", {}, [&](const Row& row) {
    for (int col = 0; col < row.size(); ++col) EXPECT_TRUE(row.is_null(col)) << col;
    EXPECT_EQ(row.opt_integer(0), std::nullopt);
    EXPECT_EQ(row.opt_str(3), std::nullopt);
    EXPECT_EQ(row.integer(0), 0);
    EXPECT_EQ(row.text(3), "");
    ++rows;
  });
  EXPECT_EQ(rows, 1);
}

TEST_P(ExecuteTest, EmptyTextIsNotNull) {
  auto conn = db().acquire();
  create_values_table(*conn);
  conn->execute(sql("INSERT INTO vals (id, t) VALUES (1, $1)"), {std::string_view{}});
  const auto result = conn->query("SELECT t FROM vals");
  ASSERT_EQ(result.rows.size(), 1U);
  EXPECT_EQ(result.rows[0][0], Value(std::string()));
}

TEST_P(ExecuteTest, QueryMaterialisesColumnsAndTypedValues) {
  auto conn = db().acquire();
  create_values_table(*conn);
  conn->execute(sql("INSERT INTO vals (id, i, d, b, t) VALUES (1, 42, 1.5, $1, 'x'), (2, NULL, NULL, NULL, NULL)"),
                {true});
  const Result result = conn->query("SELECT i, d, b, t AS label FROM vals ORDER BY id");
  EXPECT_EQ(result.columns, (std::vector<std::string>{"i", "d", "b", "label"}));
  EXPECT_EQ(result.affected, 2);
  ASSERT_EQ(result.rows.size(), 2U);
  EXPECT_EQ(result.rows[0], (std::vector<Value>{std::int64_t{42}, 1.5, std::int64_t{1}, std::string("x")}));
  EXPECT_EQ(result.rows[1], (std::vector<Value>{nullptr, nullptr, nullptr, nullptr}));
}

TEST_P(ExecuteTest, ReturnsRowsChangedOrReturned) {
  auto conn = db().acquire();
  create_values_table(*conn);
  EXPECT_EQ(conn->execute("INSERT INTO vals (id, i) VALUES (1, 1), (2, 1), (3, 2)"), 3);
  EXPECT_EQ(conn->execute(sql("UPDATE vals SET i = 5 WHERE i = $1"), {std::int64_t{1}}), 2);
  EXPECT_EQ(conn->execute("DELETE FROM vals WHERE id = 99"), 0);
  EXPECT_EQ(conn->execute("SELECT id FROM vals"), 3);
  EXPECT_EQ(conn->execute("CREATE TABLE other (x INTEGER)"), 0);  // not the stale count of the DELETE
  EXPECT_EQ(conn->execute("INSERT INTO vals (id) VALUES (10), (11) RETURNING id"), 2);
}

TEST_P(ExecuteTest, PlaceholdersMatchTheBackend) {
  auto conn = db().acquire();
  EXPECT_EQ(conn->placeholder(3), backend() == Backend::Sqlite ? "?3" : "$3");
  std::int64_t got = 0;
  conn->execute("SELECT 10 * " + conn->placeholder(1) + " + " + conn->placeholder(2),
                {std::int64_t{2}, std::int64_t{3}}, [&](const Row& row) { got = row.integer(0); });
  EXPECT_EQ(got, 23);
}

TEST_P(ExecuteTest, CatalogQueriesRun) {
  const auto& catalog = QueryCatalog::for_backend(backend());
  std::int64_t one = 0;
  db().acquire()->execute(catalog.get("health.ping"), {}, [&](const Row& row) { one = row.integer(0); });
  EXPECT_EQ(one, 1);
  try {
    catalog.get("health.missing");
    FAIL();
  } catch (const DbError& e) {
    EXPECT_EQ(std::string(e.what()), "unknown query 'health.missing' for " + std::string(backend_name(backend())));
  }
}

TEST_P(ExecuteTest, StreamsLargeResultsThroughTheCallback) {
  auto conn = db().acquire();
  std::int64_t rows = 0;
  std::int64_t sum = 0;
  const auto n = conn->execute(series(100'000), {}, [&](const Row& row) {
    ++rows;
    sum += row.integer(0);
    if (rows == 1) {
      EXPECT_EQ(row.text(1), "row 1");
    }
  });
  EXPECT_EQ(n, 100'000);
  EXPECT_EQ(rows, 100'000);
  EXPECT_EQ(sum, std::int64_t{100'000} * 100'001 / 2);
}

TEST_P(ExecuteTest, ThrowingCallbackLeavesTheConnectionUsable) {
  auto conn = db().acquire();
  int seen = 0;
  EXPECT_THROW(conn->execute(series(50'000), {},
                             [&](const Row&) {
                               if (++seen == 10) throw std::runtime_error("consumer gave up");
                             }),
               std::runtime_error);
  EXPECT_EQ(seen, 10);
  EXPECT_TRUE(conn->reusable());
  EXPECT_EQ(conn->execute(series(5)), 5);
  EXPECT_EQ(conn->execute(series(50'000)), 50'000);
}

TEST_P(ExecuteTest, NestedStatementsInACallback) {
  auto conn = db().acquire();
  create_values_table(*conn);
  conn->execute("INSERT INTO vals (id, i) VALUES (1, 10), (2, 20)");
  const auto nested = [&] {
    conn->execute("SELECT id FROM vals ORDER BY id", {}, [&](const Row& row) {
      conn->execute(sql("UPDATE vals SET i = i + 1 WHERE id = $1"), {row.integer(0)});
      conn->execute("SELECT id FROM vals ORDER BY id");  // the outer statement's SQL again
    });
  };
  if (backend() == Backend::Sqlite) {
    nested();
    EXPECT_EQ(conn->query("SELECT sum(i) FROM vals").rows[0][0], Value(std::int64_t{32}));
  } else {
    // libpq cannot interleave statements on one connection.
    EXPECT_THROW(nested(), DbError);
    EXPECT_EQ(conn->execute("SELECT 1"), 1);
  }
}

TEST_P(ExecuteTest, RejectsSeveralStatementsInOneExecute) {
  auto conn = db().acquire();
  EXPECT_THROW(conn->execute("SELECT 1; SELECT 2"), DbError);
  EXPECT_EQ(conn->execute("SELECT 1;  -- trailing comment"), 1);
}

TEST_P(ExecuteTest, ReportsSqlAndParameterErrors) {
  auto conn = db().acquire();
  try {
    conn->execute("SELEC 1");
    FAIL();
  } catch (const UniqueViolation&) {
    FAIL();
  } catch (const ConstraintViolation&) {
    FAIL();
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("SELEC"), std::string::npos) << e.what();
  }
  EXPECT_THROW(conn->execute(sql("SELECT $1 + $2"), {std::int64_t{1}}), DbError);
  EXPECT_THROW(conn->execute("SELECT * FROM no_such_table"), DbError);
  EXPECT_EQ(conn->execute("SELECT 1"), 1);
}

TEST_P(ExecuteTest, ExecuteScriptRunsSeveralStatements) {
  auto conn = db().acquire();
  conn->execute_script(
      "CREATE TABLE a (x INTEGER);\n"
      "INSERT INTO a VALUES (1);\n"
      "INSERT INTO a VALUES (2);\n");
  EXPECT_EQ(conn->execute("SELECT x FROM a"), 2);
  EXPECT_THROW(conn->execute_script("INSERT INTO a VALUES (3); INSERT INTO missing VALUES (4);"), DbError);
}

TEST_P(ExecuteTest, StatementCacheServesRepeatsAndStaysBounded) {
  auto conn = db().acquire();
  create_values_table(*conn);
  const auto insert = sql("INSERT INTO vals (id, i) VALUES ($1, $2)");
  for (std::int64_t k = 0; k < 1000; ++k) conn->execute(insert, {k, k * 2});
  if (backend() == Backend::Postgres) {
    std::int64_t prepared = 0;
    conn->execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO vals%'", {},
                  [&](const Row& row) { prepared = row.integer(0); });
    EXPECT_EQ(prepared, 1);
  }
  std::int64_t sum = 0;
  conn->execute("SELECT sum(i) FROM vals", {}, [&](const Row& row) { sum = row.integer(0); });
  EXPECT_EQ(sum, 999 * 1000);

  // More distinct statements than the cache holds, then the first ones again.
  for (int round = 0; round < 2; ++round) {
    for (int k = 0; k < 300; ++k) {
      std::int64_t got = -1;
      conn->execute("SELECT " + std::to_string(k), {}, [&](const Row& row) { got = row.integer(0); });
      ASSERT_EQ(got, k);
    }
  }
  if (backend() == Backend::Postgres) {
    const auto prepared = conn->query("SELECT count(*) FROM pg_prepared_statements");
    EXPECT_LE(std::get<std::int64_t>(prepared.rows[0][0]), 256);
  }
}

// Another instance may migrate while this one keeps statements prepared.
TEST_P(ExecuteTest, CachedStatementsFollowSchemaChanges) {
  auto conn = db().acquire();
  conn->execute_script("CREATE TABLE shapes (id INTEGER PRIMARY KEY); INSERT INTO shapes (id) VALUES (1)");
  EXPECT_EQ(conn->query("SELECT * FROM shapes").columns.size(), 1U);
  scratch().open({.pool_size = 1})->acquire()->execute_script("ALTER TABLE shapes ADD COLUMN name TEXT");
  EXPECT_EQ(conn->query("SELECT * FROM shapes").columns.size(), 2U);
}

TEST_P(ExecuteTest, RowAccessorsRejectColumnsOutOfRange) {
  auto conn = db().acquire();
  EXPECT_THROW(conn->execute("SELECT 1", {}, [](const Row& row) { row.integer(1); }), DbError);
  EXPECT_EQ(conn->execute("SELECT 1"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ExecuteTest, test::all_backends(), test::backend_test_name);

}  // namespace
}  // namespace herald::storage
