// HERALD_REDIS_URL's password, ACL user and database number against a real
// redis-server that requires them: the client signs in, selects the
// database, and Herald keeps every key it writes there.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/errors.hpp"
#include "integration/jobs/fixture.hpp"
#include "support/api_client.hpp"

namespace herald::test {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kPassword = "s3cret-pa55";

redis::RedisClient client_for(const std::string& url) { return redis::RedisClient(redis::parse_redis_url(url)); }

// Every key of one database.
std::set<std::string> keys(const RedisProcess& redis, int db, const std::string& pattern = "*") {
  auto client = client_for(redis.url(db));
  std::set<std::string> out;
  std::string cursor = "0";
  do {
    auto r = client.command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    cursor = r.elements.at(0).as_string();
    for (const auto& k : r.elements.at(1).elements) out.insert(k.as_string());
  } while (cursor != "0");
  return out;
}

TEST(RedisConnection, APasswordAndADatabaseNumberReachTheServer) {
  TempDirPath dir;
  RedisProcess redis(dir.path / "redis", {"--requirepass", std::string(kPassword)}, ":" + std::string(kPassword));
  redis.start();
  auto db5 = client_for(redis.url(5));
  db5.command({"SET", "herald-test:k", "in five"});
  EXPECT_EQ(client_for(redis.url(5)).command({"GET", "herald-test:k"}).as_string(), "in five");
  EXPECT_TRUE(client_for(redis.url(0)).command({"GET", "herald-test:k"}).is_nil());
  EXPECT_EQ(keys(redis, 5), std::set<std::string>{"herald-test:k"});
  EXPECT_TRUE(keys(redis, 0).empty());
}

TEST(RedisConnection, AnAclUserSignsInWithItsPassword) {
  TempDirPath dir;
  // The default user is off: only herald/pw gets in.
  RedisProcess redis(dir.path / "redis",
                     {"--user", "default", "off", "--user", "herald", "on", ">pw", "~*", "&*", "+@all"}, "herald:pw");
  redis.start();
  auto client = client_for(redis.url(2));
  client.command({"SET", "herald-test:acl", "yes"});
  EXPECT_EQ(client.command({"ACL", "WHOAMI"}).as_string(), "herald");
  EXPECT_EQ(client_for(redis.url(2)).command({"GET", "herald-test:acl"}).as_string(), "yes");
}

TEST(RedisConnection, AWrongOrMissingPasswordIsRefusedWithoutQuotingIt) {
  TempDirPath dir;
  RedisProcess redis(dir.path / "redis", {"--requirepass", std::string(kPassword)}, ":" + std::string(kPassword));
  redis.start();
  const std::string base = "redis://:not-the-pa55word@127.0.0.1:" + std::to_string(redis.port()) + "/0";
  try {
    client_for(base).command({"PING"});
    FAIL() << "a wrong password was accepted";
  } catch (const ServiceUnavailable& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("AUTH"), std::string::npos) << what;
    EXPECT_EQ(what.find("not-the-pa55word"), std::string::npos) << what;
  }
  const std::string none = "redis://127.0.0.1:" + std::to_string(redis.port()) + "/0";
  try {
    client_for(none).command({"PING"});
    FAIL() << "no password was accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("NOAUTH"), std::string::npos) << e.what();
  }
}

// Herald behind a password on database 3: its queues, the jobs an import
// enqueues and its rate-limit buckets all live in database 3, none in 0.
TEST(RedisConnection, HeraldKeepsEverythingInTheConfiguredDatabase) {
  TempDirPath dir;
  RedisProcess redis(dir.path / "redis", {"--requirepass", std::string(kPassword)}, ":" + std::string(kPassword));
  redis.start();
  AuthedServer s({}, [&](Config& c) { c.redis_url = redis.url(3); });
  auto health = s.admin().get("/api/health/detailed");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.json()["services"]["redis"]["status"], "healthy") << health.body;

  HttpClient http(s.port());
  auto upload = http.request("POST", "/api/leads/import", "email\nr1@example.com\nr2@example.com\n",
                             {{"Authorization", "Bearer " + s.admin().token()}, {"Content-Type", "text/csv"}});
  ASSERT_EQ(upload.status, 202) << upload.body;
  const std::string job = upload.json()["job_id"];
  EXPECT_TRUE(eventually([&] { return s.admin().get("/api/leads/import/" + job).json()["status"] == "completed"; },
                         milliseconds(20000)));
  EXPECT_EQ(s.admin().get("/api/leads").json()["total"], 2);

  const auto in_three = keys(redis, 3);
  EXPECT_FALSE(keys(redis, 3, "herald:rl:*").empty()) << "no rate-limit bucket in database 3";
  bool queue_key = false;
  for (const auto& k : in_three) queue_key = queue_key || (k.starts_with("herald:") && !k.starts_with("herald:rl:"));
  EXPECT_TRUE(queue_key) << "no queue key in database 3";
  EXPECT_TRUE(keys(redis, 0).empty()) << "Herald wrote to database 0";
}

}  // namespace
}  // namespace herald::test
