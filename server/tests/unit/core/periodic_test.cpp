#include "core/periodic.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace herald {
namespace {

using namespace std::chrono_literals;

// Waits (generously: the machine may be loaded) until `done` holds.
template <class F>
bool eventually(F done) {
  const auto until = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return done();
}

TEST(Periodic, LooksAtOnceThenEveryInterval) {
  std::atomic<int> looks{0};
  Periodic p(
      5ms, [&] { ++looks; }, "test");
  EXPECT_EQ(looks.load(), 0);  // nothing before start
  p.start();
  EXPECT_TRUE(eventually([&] { return looks.load() >= 3; }));
  p.stop();
  const int after = looks.load();
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(looks.load(), after);  // stopped: no more looks
}

TEST(Periodic, FirstLookDoesNotWaitForTheInterval) {
  std::atomic<int> looks{0};
  Periodic p(
      1h, [&] { ++looks; }, "test");
  p.start();
  EXPECT_TRUE(eventually([&] { return looks.load() == 1; }));
  p.stop();  // interrupts the hour's wait
  EXPECT_EQ(looks.load(), 1);
}

TEST(Periodic, AFailingLookIsNotTheLast) {
  std::atomic<int> looks{0};
  Periodic p(
      5ms,
      [&] {
        ++looks;
        throw std::runtime_error("database away");
      },
      "test look failed");
  p.start();
  EXPECT_TRUE(eventually([&] { return looks.load() >= 3; }));
  p.stop();
}

TEST(Periodic, StartAndStopInAnyOrderAndAgain) {
  std::atomic<int> looks{0};
  Periodic p(
      1h, [&] { ++looks; }, "test");
  p.stop();  // never started
  p.start();
  p.start();  // already running: one thread
  EXPECT_TRUE(eventually([&] { return looks.load() >= 1; }));
  p.stop();
  p.stop();
  EXPECT_EQ(looks.load(), 1);
  p.start();  // again after a stop
  EXPECT_TRUE(eventually([&] { return looks.load() == 2; }));
  p.stop();
  EXPECT_EQ(looks.load(), 2);
  EXPECT_EQ(p.interval(), 1h);
}

}  // namespace
}  // namespace herald
