#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "redis/client.hpp"

namespace herald::redis {
namespace {

TEST(RedisUrl, ParsesTheDocumentedForms) {
  auto plain = parse_redis_url("redis://127.0.0.1:6380/2");
  EXPECT_EQ(plain.host, "127.0.0.1");
  EXPECT_EQ(plain.port, 6380);
  EXPECT_EQ(plain.db, 2);
  EXPECT_FALSE(plain.password.has_value());

  auto with_password = parse_redis_url("redis://:s%40cret@redis.internal");
  EXPECT_EQ(with_password.host, "redis.internal");
  EXPECT_EQ(with_password.port, 6379);
  EXPECT_EQ(with_password.db, 0);
  EXPECT_EQ(with_password.password, "s@cret");
  EXPECT_FALSE(with_password.user.has_value());

  auto acl = parse_redis_url("redis://herald:pw@[::1]:7000/1");
  EXPECT_EQ(acl.user, "herald");
  EXPECT_EQ(acl.password, "pw");
  EXPECT_EQ(acl.host, "::1");
  EXPECT_EQ(acl.port, 7000);
  EXPECT_EQ(acl.describe(), "::1:7000/1");
}

TEST(RedisUrl, RejectsMalformedUrlsWithoutQuotingThePassword) {
  EXPECT_THROW(parse_redis_url("http://localhost"), std::invalid_argument);
  EXPECT_THROW(parse_redis_url("redis://"), std::invalid_argument);
  EXPECT_THROW(parse_redis_url("redis://host:port"), std::invalid_argument);
  EXPECT_THROW(parse_redis_url("redis://host:70000"), std::invalid_argument);
  try {
    parse_redis_url("redis://:topsecret@host/db");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos);
  }
}

TEST(RedisUrl, AnUnsetUrlMeansNoClientAndABadOneIsAConfigError) {
  Config config;
  EXPECT_EQ(client_from_config(config), nullptr);
  config.redis_url = "redis://127.0.0.1:6379/0";
  EXPECT_NE(client_from_config(config), nullptr);  // never connects here
  config.redis_url = "http://127.0.0.1";
  try {
    client_from_config(config);
    FAIL() << "a malformed URL was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("HERALD_REDIS_URL"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace herald::redis
