// Routes that wait run on the handler threads: while they wait, the I/O
// threads keep answering everyone else; when every handler thread is busy
// and the queue is full, a new one is answered 503 with Retry-After at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "http/router.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

using namespace std::chrono;

struct Sleeper {
  std::atomic<int> waiting{0};
  milliseconds nap{2000};

  // GET /api/test/sleep: a handler that waits (on a provider, say), on the pool.
  void add_route(http::Router& r) {
    auto& route = r.add(
        http::Method::Get, "/api/test/sleep",
        [this](http::Request&) {
          ++waiting;
          std::this_thread::sleep_for(nap);
          --waiting;
          return http::Response::json(200, {{"slept", true}});
        },
        http::Access::public_route());
    route.runs = http::Runs::Pool;
  }
};

// Fires `n` requests at once, each on its own connection; their statuses
// (and, when asked, the responses and how long each took).
std::vector<int> fire(std::uint16_t port, int n, std::vector<HttpResponse>* responses = nullptr,
                      std::vector<milliseconds>* took = nullptr) {
  std::vector<HttpResponse> out(static_cast<std::size_t>(n));
  std::vector<milliseconds> times(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      HttpClient c(port);
      const auto start = steady_clock::now();
      out[static_cast<std::size_t>(i)] = c.get("/api/test/sleep");
      times[static_cast<std::size_t>(i)] = duration_cast<milliseconds>(steady_clock::now() - start);
    });
  }
  for (auto& t : threads) t.join();
  std::vector<int> statuses;
  for (const auto& r : out) statuses.push_back(r.status);
  if (responses) *responses = std::move(out);
  if (took) *took = std::move(times);
  return statuses;
}

bool eventually(const std::function<bool()>& condition, milliseconds within) {
  auto until = steady_clock::now() + within;
  while (steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return condition();
}

TEST(HandlerPool, LivenessStaysFastWhileSixteenHandlersWaitTwoSecondsEach) {
  Sleeper sleeper;
  TestServer server([](Config& c) { c.handler_threads = 16; }, "", [&](http::Router& r) { sleeper.add_route(r); });

  std::vector<int> statuses;
  const auto fired = steady_clock::now();
  std::thread load([&] { statuses = fire(server.port(), 16, nullptr); });
  ASSERT_TRUE(eventually([&] { return sleeper.waiting.load() == 16; }, seconds(5)))
      << "only " << sleeper.waiting.load() << " of 16 handlers are running";

  // Meanwhile: GET /api/health on one keep-alive connection, as a probe would.
  auto probe = server.client();
  std::vector<double> ms;
  while (sleeper.waiting.load() == 16 && ms.size() < 200000) {
    const auto start = steady_clock::now();
    ASSERT_EQ(probe->get("/api/health").status, 200);
    ms.push_back(duration<double, std::milli>(steady_clock::now() - start).count());
  }
  load.join();
  const auto all_done = steady_clock::now() - fired;

  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 16);
  // They waited side by side, not one after another.
  EXPECT_LT(all_done, seconds(6));
  ASSERT_GE(ms.size(), 100u) << "too few probes while the handlers waited";
  std::sort(ms.begin(), ms.end());
  const double p50 = ms[ms.size() / 2];
  const double p99 = ms[ms.size() * 99 / 100];
  RecordProperty("health_requests", static_cast<int>(ms.size()));
  RecordProperty("health_p50_us", static_cast<int>(p50 * 1000));
  RecordProperty("health_p99_us", static_cast<int>(p99 * 1000));
  std::printf("GET /api/health while 16 handlers wait 2 s: %zu requests, p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
              ms.size(), p50, p99, ms.back());
  EXPECT_LT(p99, 20.0) << "liveness p99 " << p99 << " ms while handlers wait";
}

TEST(HandlerPool, AFullPoolAnswers503WithRetryAfterAtOnce) {
  Sleeper sleeper;
  sleeper.nap = milliseconds(1500);
  // 2 threads and a queue of 8: ten requests are admitted, the rest refused.
  TestServer server([](Config& c) { c.handler_threads = 2; }, "", [&](http::Router& r) { sleeper.add_route(r); });
  std::vector<HttpResponse> responses;
  std::vector<milliseconds> took;
  const auto start = steady_clock::now();
  auto statuses = fire(server.port(), 14, &responses, &took);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 10);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 503), 4);
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (responses[i].status != 503) continue;
    EXPECT_EQ(responses[i].header("Retry-After"), "1");
    EXPECT_EQ(responses[i].header("Content-Type"), "application/problem+json");
    // Refused, not queued: answered before the first handler could finish
    // (the bound is generous, for a loaded machine).
    EXPECT_LT(took[i], milliseconds(1000)) << "a refusal waited " << took[i].count() << " ms";
  }
  // Five rounds of two: the admitted ones all ran, the queue was not lost.
  EXPECT_GE(steady_clock::now() - start, milliseconds(5 * 1500 - 200));
  // And the pool serves again once it has room.
  sleeper.nap = milliseconds(0);
  EXPECT_EQ(server.client()->get("/api/test/sleep").status, 200);
}

TEST(HandlerPool, TheRoutesThatWaitRunOnThePool) {
  TestServer server;
  std::set<std::string> pooled;
  for (const auto& route : server.app().router().routes()) {
    if (route->runs == http::Runs::Pool) pooled.insert(std::string(http::to_string(route->method)) + " " + route->path);
  }
  for (const char* expected :
       {"GET /api/leads/export", "POST /api/leads/import", "GET /api/leads/import/{job_id}/errors",
        "POST /api/leads/bulk", "GET /api/segments", "GET /api/segments/{id}", "POST /api/auth/login",
        "GET /api/health/detailed", "GET /api/admin/audit-logs/verify", "POST /api/auth/password",
        "POST /api/templates/{id}/test"}) {
    EXPECT_TRUE(pooled.contains(expected)) << expected;
  }
  EXPECT_FALSE(pooled.contains("GET /api/health"));
  EXPECT_FALSE(pooled.contains("GET /api/leads"));
  const auto* list = server.app().router().match(http::Method::Get, "/api/leads").route;
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->runs, http::Runs::Either);  // an exact count or a short search waits; a page does not
}

// GET /api/test/either: waits 1.5 s on the pool when asked with ?slow, answers
// at once on the I/O thread otherwise; either way it says which thread ran it.
TEST(HandlerPool, AnEitherRouteSendsOnlyTheRequestsThatWaitToThePool) {
  std::atomic<int> waiting{0};
  std::mutex mutex;
  std::set<std::thread::id> fast_threads, slow_threads;
  TestServer server([](Config& c) { c.http_threads = 1; }, "",
                    [&](http::Router& r) {
                      auto& route = r.add(
                          http::Method::Get, "/api/test/either",
                          [&](http::Request& req) {
                            const bool slow = req.query == "slow";
                            {
                              std::lock_guard lock(mutex);
                              (slow ? slow_threads : fast_threads).insert(std::this_thread::get_id());
                            }
                            if (slow) {
                              ++waiting;
                              std::this_thread::sleep_for(milliseconds(1500));
                              --waiting;
                            }
                            return http::Response::json(200, {{"slow", slow}});
                          },
                          http::Access::public_route());
                      route.runs = http::Runs::Either;
                      route.waits = [](const http::Request& req) { return req.query == "slow"; };
                    });
  std::vector<std::thread> slow;
  for (int i = 0; i < 3; ++i)
    slow.emplace_back([&] { EXPECT_EQ(server.client()->get("/api/test/either?slow").status, 200); });
  ASSERT_TRUE(eventually([&] { return waiting.load() == 3; }, seconds(5)));
  // One I/O thread, three slow requests waiting: the fast ones still answer at once.
  auto probe = server.client();
  for (int i = 0; i < 20 && waiting.load() == 3; ++i) {
    const auto start = steady_clock::now();
    ASSERT_EQ(probe->get("/api/test/either").status, 200);
    EXPECT_LT(steady_clock::now() - start, milliseconds(500));
  }
  for (auto& t : slow) t.join();
  ASSERT_EQ(fast_threads.size(), 1u);  // the one I/O thread
  EXPECT_EQ(slow_threads.size(), 3u);  // side by side on the pool
  EXPECT_FALSE(slow_threads.contains(*fast_threads.begin()));
}

}  // namespace
}  // namespace herald::test
