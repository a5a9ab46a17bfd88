// Rate limits with HERALD_REDIS_URL set: one budget per client across every
// process on the same Redis, and a per-process fallback while Redis is away.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "integration/jobs/fixture.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::function<void(Config&)> limited(const RedisProcess& redis, std::int64_t api_limit, std::int64_t login_limit = 10) {
  const std::string url = redis.url();
  return [=](Config& c) {
    c.redis_url = url;
    c.rate_limit = RateSpec{api_limit, seconds(60)};
    c.login_rate_limit = RateSpec{login_limit, seconds(60)};
  };
}

// A public API route (liveness takes no token: it is never limited).
constexpr const char* kProbe = "/api/openapi.json";
int probe_status(TestServer& server) { return server.client()->get(kProbe).status; }

TEST(RedisRateLimit, OneBudgetIsSharedByEveryProcess) {
  TempDirPath dir;
  RedisProcess redis(dir.path / "redis");
  redis.start();
  TestServer a(limited(redis, 5));
  TestServer b(limited(redis, 5));

  for (int i = 0; i < 3; ++i) EXPECT_EQ(probe_status(a), 200) << "request " << i << " to a";
  auto fourth = b.client()->get(kProbe);
  EXPECT_EQ(fourth.status, 200);
  // 4 of 5 used; the bucket is full again in 48 s (47 on a slow run).
  auto field = fourth.header("RateLimit").value_or("");
  EXPECT_TRUE(field == "\"api\";r=1;t=48" || field == "\"api\";r=1;t=47") << field;
  EXPECT_EQ(probe_status(b), 200);

  for (TestServer* s : {&a, &b}) {
    auto refused = s->client()->get(kProbe);
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(refused.header("Content-Type"), "application/problem+json");
    auto retry = refused.header("Retry-After");
    ASSERT_TRUE(retry.has_value());
    EXPECT_GE(std::stoi(*retry), 1);
    EXPECT_LE(std::stoi(*retry), 12);  // one token every 12 s
  }
}

TEST(RedisRateLimit, TheLoginLimitIsSharedToo) {
  TempDirPath dir;
  RedisProcess redis(dir.path / "redis");
  redis.start();
  TestServer a(limited(redis, 1000, 3));
  TestServer b(limited(redis, 1000, 3));
  const nlohmann::json wrong = {{"email", "admin@example.com"}, {"password", "not-the-password"}};
  EXPECT_EQ(a.client()->post_json("/api/auth/login", wrong).status, 401);
  EXPECT_EQ(a.client()->post_json("/api/auth/login", wrong).status, 401);
  EXPECT_EQ(b.client()->post_json("/api/auth/login", wrong).status, 401);
  auto locked = b.client()->post_json("/api/auth/login", wrong);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_TRUE(locked.header("Retry-After").has_value());
  // Another address is a different budget.
  const nlohmann::json other = {{"email", "someone@example.com"}, {"password", "not-the-password"}};
  EXPECT_EQ(a.client()->post_json("/api/auth/login", other).status, 401);
}

TEST(RedisRateLimit, WhileRedisIsDownEachProcessLimitsOnItsOwnAndRedisTakesOverWhenBack) {
  TempDirPath dir;
  RedisProcess redis(dir.path / "redis");  // not running yet
  TestServer server(limited(redis, 3));

  for (int i = 0; i < 3; ++i) EXPECT_EQ(probe_status(server), 200) << "request " << i;
  EXPECT_EQ(probe_status(server), 429);  // the in-process fallback still limits

  redis.start();
  // Redis's own bucket for this client is fresh: requests pass again once the
  // client has reconnected.
  bool through = false;
  for (int i = 0; i < 50 && !through; ++i) {
    through = probe_status(server) == 200;
    if (!through) std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_TRUE(through) << "requests were still refused after Redis came back";
  redis::RedisClient probe(redis::parse_redis_url(redis.url()));
  auto bucket = probe.command({"HGET", "herald:rl:api:127.0.0.1", "tokens"});
  EXPECT_FALSE(bucket.is_nil()) << "the bucket is not in Redis";
}

// A "Redis" that accepts connections (the kernel's backlog does) and never
// answers: the slow case, not the down one.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 64) != 0)
      throw std::runtime_error("cannot listen");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

TEST(RedisRateLimit, ASilentRedisCostsARequestAFractionOfASecondAndTheNextOnesNothing) {
  auto silent = std::make_unique<SilentServer>();
  TestServer server([&](Config& c) {
    c.redis_url = silent->url();
    c.rate_limit = RateSpec{3, seconds(60)};
  });
  auto client = server.client();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client->get(kProbe).status, 200);
  const auto first = std::chrono::steady_clock::now() - start;
  EXPECT_LT(first, seconds(2)) << "the token waited on the job queue's 5 s timeout";
  // Within the next second Redis is not asked again: the process's own
  // buckets decide at once, and still limit.
  EXPECT_EQ(client->get(kProbe).status, 200);
  EXPECT_EQ(client->get(kProbe).status, 200);
  EXPECT_EQ(client->get(kProbe).status, 429);
  EXPECT_LT(std::chrono::steady_clock::now() - start, first + milliseconds(500));
  silent.reset();  // resets the connections the job queue waits on, so shutdown is quick
}

}  // namespace
}  // namespace herald::test
