#include "storage/database_url.hpp"

#include <gtest/gtest.h>

namespace herald::storage {
namespace {

TEST(DatabaseUrl, SqliteAbsolutePath) {
  const auto url = parse_database_url("sqlite:///var/lib/herald/herald.db");
  EXPECT_EQ(url.backend, Backend::Sqlite);
  EXPECT_EQ(url.location, "/var/lib/herald/herald.db");
}

TEST(DatabaseUrl, SqliteRelativePath) {
  const auto url = parse_database_url("sqlite://./herald-data/herald.db");
  EXPECT_EQ(url.backend, Backend::Sqlite);
  EXPECT_EQ(url.location, "./herald-data/herald.db");
  EXPECT_EQ(parse_database_url("sqlite://herald.db").location, "herald.db");
}

TEST(DatabaseUrl, SchemeIsCaseInsensitive) {
  EXPECT_EQ(parse_database_url("SQLite:///x.db").backend, Backend::Sqlite);
  EXPECT_EQ(parse_database_url("PostgreSQL://h/db").backend, Backend::Postgres);
}

TEST(DatabaseUrl, PostgresUrlsPassThroughWhole) {
  for (const std::string_view text : {"postgresql://user:pass@db.example:5433/herald?sslmode=require",
                                      "postgres://localhost/herald", "postgresql://"}) {
    const auto url = parse_database_url(text);
    EXPECT_EQ(url.backend, Backend::Postgres);
    EXPECT_EQ(url.location, text);
  }
}

TEST(DatabaseUrl, RejectsMalformedUrls) {
  for (const std::string_view text : {"", "herald.db", "://x", "sqlite:", "sqlite:/abs.db"}) {
    EXPECT_THROW(parse_database_url(text), DbError) << text;
  }
}

TEST(DatabaseUrl, RejectsUnknownSchemesByName) {
  try {
    parse_database_url("mysql://root@localhost/herald");
    FAIL() << "accepted mysql://";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("'mysql'"), std::string::npos) << e.what();
  }
}

TEST(DatabaseUrl, RejectsUnsupportedSqliteForms) {
  EXPECT_THROW(parse_database_url("sqlite://"), DbError);
  EXPECT_THROW(parse_database_url("sqlite://:memory:"), DbError);
  EXPECT_THROW(parse_database_url("sqlite:///x.db?mode=ro"), DbError);
}

TEST(DatabaseUrl, ErrorsNeverQuoteThePassword) {
  try {
    parse_database_url("mysql:/user:hunter2@host/db");
    FAIL();
  } catch (const DbError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
}

TEST(RedactUrl, MasksTheUserInfoPassword) {
  EXPECT_EQ(redact_url("postgresql://herald:s3cret@db:5432/herald"), "postgresql://herald:***@db:5432/herald");
  EXPECT_EQ(redact_url("postgresql://herald@db/herald"), "postgresql://herald@db/herald");
  EXPECT_EQ(redact_url("postgresql://db/herald"), "postgresql://db/herald");
  EXPECT_EQ(redact_url("sqlite:///a/b.db"), "sqlite:///a/b.db");
}

TEST(RedactUrl, MasksPasswordsContainingSeparators) {
  EXPECT_EQ(redact_url("postgresql://u:p/a@ss@db/herald"), "postgresql://u:***@db/herald");
}

TEST(RedactUrl, MasksPasswordParameters) {
  EXPECT_EQ(redact_url("postgresql://db/herald?user=u&password=s3cret&sslmode=require"),
            "postgresql://db/herald?user=u&password=***&sslmode=require");
  EXPECT_EQ(redact_url("postgresql://db/herald?password=s3cret"), "postgresql://db/herald?password=***");
  // Only a parameter named exactly "password".
  EXPECT_EQ(redact_url("postgresql://db/h?oldpassword=x"), "postgresql://db/h?oldpassword=x");
}

TEST(ScrubSecrets, RemovesRawAndDecodedPasswords) {
  const std::string url = "postgresql://u:p%40ss@db/herald";
  EXPECT_EQ(scrub_secrets("bad URI \"postgresql://u:p%40ss@db/herald\"", url),
            "bad URI \"postgresql://u:***@db/herald\"");
  EXPECT_EQ(scrub_secrets("password p@ss rejected", url), "password *** rejected");
  EXPECT_EQ(scrub_secrets("nothing secret", "postgresql://db/herald"), "nothing secret");
}

}  // namespace
}  // namespace herald::storage
