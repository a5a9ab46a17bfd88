// Rate limits with HERALD_REDIS_URL set: one budget per client across every
// process on the same Redis, and a per-process fallback while Redis is away.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "app/composition.hpp"
#include "integration/jobs/fixture.hpp"
#include "redis/rate_limiter.hpp"
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

// Requests this process's rate limiter decided on its own because Redis did
// not answer within the limiter's 250 ms (a loaded machine).
std::uint64_t fallbacks(TestServer& server) {
  auto* limiter = dynamic_cast<redis::RedisRateLimiter*>(&server.app().composition().limiter());
  return limiter ? limiter->fallbacks() : 0;
}

TEST(RedisRateLimit, TheLoginLimitIsSharedToo) {
  TempDirPath dir;
  RedisProcess redis(dir.path / "redis");
  redis.start();
  TestServer a(limited(redis, 1000, 3));
  TestServer b(limited(redis, 1000, 3));
  ASSERT_NE(dynamic_cast<redis::RedisRateLimiter*>(&a.app().composition().limiter()), nullptr);
  // Three wrong passwords through a and b lock the address out of both. A
  // round in which either process fell back to its own buckets (Redis slower
  // than the limiter waits, on a loaded machine) shows nothing about sharing:
  // it is repeated with another address, after the limiter's second away from Redis.
  bool shown = false;
  for (int round = 0; round < 5 && !shown; ++round) {
    if (round > 0) std::this_thread::sleep_for(milliseconds(1500));
    const nlohmann::json wrong = {
        {"email", round == 0 ? std::string("admin@example.com") : "admin+" + std::to_string(round) + "@example.com"},
        {"password", "not-the-password"}};
    const auto before = fallbacks(a) + fallbacks(b);
    EXPECT_EQ(a.client()->post_json("/api/auth/login", wrong).status, 401);
    EXPECT_EQ(a.client()->post_json("/api/auth/login", wrong).status, 401);
    EXPECT_EQ(b.client()->post_json("/api/auth/login", wrong).status, 401);
    auto locked = b.client()->post_json("/api/auth/login", wrong);
    if (fallbacks(a) + fallbacks(b) != before) continue;
    shown = true;
    EXPECT_EQ(locked.status, 429) << locked.body;
    EXPECT_TRUE(locked.header("Retry-After").has_value());
  }
  ASSERT_TRUE(shown) << "Redis did not answer the rate limiter in time in any of 5 rounds";
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
  for (int i = 0; i < 200 && !through; ++i) {
    through = probe_status(server) == 200;
    if (!through) std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_TRUE(through) << "requests were still refused after Redis came back";
  redis::RedisClient probe(redis::parse_redis_url(redis.url()));
  auto bucket = probe.command({"HGET", "herald:rl:api:127.0.0.1", "tokens"});
  EXPECT_FALSE(bucket.is_nil()) << "the bucket is not in Redis";
}

// A "Redis" that accepts connections and reads every command but never
// answers: the slow case, not the down one. It counts how often the rate
// limiter asked it (each ask loads the limiter's Lua script on a new
// connection).
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
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~SilentServer() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    {
      std::lock_guard lock(mutex_);
      for (int c : connections_) ::shutdown(c, SHUT_RDWR);  // the clients see their connection end
    }
    for (auto& t : readers_) t.join();
    for (int c : connections_) ::close(c);
    ::close(fd_);
  }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }
  // Times the rate limiter's script was sent (once per attempt to use Redis).
  int limiter_asks() const { return asks_.load(); }

 private:
  void accept_loop() {
    while (!stopping_) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::lock_guard lock(mutex_);
      connections_.push_back(c);
      readers_.emplace_back([this, c] { read_loop(c); });
    }
  }
  void read_loop(int c) {
    static constexpr std::string_view kLimiterScript = "local per_ms = capacity";
    std::string seen;
    char buf[4096];
    int counted = 0;
    for (;;) {
      const auto n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) return;
      seen.append(buf, static_cast<std::size_t>(n));
      int here = 0;
      for (auto at = seen.find(kLimiterScript); at != std::string::npos; at = seen.find(kLimiterScript, at + 1)) ++here;
      asks_ += here - counted;
      counted = here;
    }
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> asks_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> connections_;
  std::vector<std::thread> readers_;
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
  // The limiter's own 250 ms timeouts, not the job queue's 5 s.
  EXPECT_LT(first, seconds(3)) << "the token waited on the job queue's 5 s timeout";
  EXPECT_TRUE(eventually([&] { return silent->limiter_asks() >= 1; }, milliseconds(10000)))
      << "the first request did not ask Redis";
  // For a second after a failed ask Redis is not asked again: the process's
  // own buckets decide at once, and still limit. The requests are spread
  // over that second (the Redis client alone waits 200 ms before dialling
  // again, which must not be what keeps Redis from being asked).
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_EQ(client->get(kProbe).status, 200);
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_EQ(client->get(kProbe).status, 200);
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_EQ(client->get(kProbe).status, 429);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const auto whole_seconds = std::chrono::duration_cast<seconds>(elapsed).count();
  EXPECT_LE(silent->limiter_asks(), 1 + whole_seconds)
      << "Redis was asked more than once a second in " << std::chrono::duration<double>(elapsed).count() << " s";
  silent.reset();  // ends the connections the job queue waits on, so shutdown is quick
}

}  // namespace
}  // namespace herald::test
