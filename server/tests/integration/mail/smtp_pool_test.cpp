// The connection pool and the transports against a real SMTP server.
#include "mail/smtp_pool.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "mail/transport.hpp"
#include "support/mail_tools.hpp"

namespace herald::mail {
namespace {

using test::SmtpServerOptions;
using test::TestSmtpServer;
using ::testing::HasSubstr;

std::string message_for(int i) {
  return "From: a@sender.example\r\nTo: r" + std::to_string(i) + "@example.com\r\nSubject: " + std::to_string(i) +
         "\r\n\r\nbody " + std::to_string(i) + "\r\n";
}

TEST(SmtpPool, ThreadsShareAFewConnections) {
  SmtpServerOptions options;
  options.pipelining = true;
  TestSmtpServer server(options);
  SmtpPool pool(parse_smtp_url(server.url({}, "starttls=never")), 2);
  constexpr int kThreads = 4, kEach = 40;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        int n = t * kEach + i;
        if (pool.send("s@sender.example", "r" + std::to_string(n) + "@example.com", message_for(n)).accepted())
          ++accepted;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(accepted.load(), kThreads * kEach);
  ASSERT_TRUE(server.wait_for_messages(kThreads * kEach));
  auto stored = server.messages();
  EXPECT_EQ(stored.size(), static_cast<std::size_t>(kThreads * kEach));
  std::set<std::string> peers, subjects;
  for (const auto& m : stored) {
    peers.insert(m.peer);
    subjects.insert(m.data.substr(m.data.find("Subject: ")));
  }
  EXPECT_LE(peers.size(), 2u);
  EXPECT_EQ(subjects.size(), stored.size()) << "every message arrived once";
  auto stats = pool.stats();
  EXPECT_EQ(stats.size, 2u);
  EXPECT_LE(stats.connections_opened, 2u);
  EXPECT_EQ(stats.messages, static_cast<std::uint64_t>(kThreads * kEach));
}

TEST(SmtpPool, ABrokenConnectionIsReplaced) {
  TestSmtpServer server;
  SmtpPool pool(parse_smtp_url(server.url({}, "starttls=never")), 1);
  EXPECT_TRUE(pool.send("s@sender.example", "a@example.com", message_for(1)).accepted());
  auto dropped = pool.send("s@sender.example", "dropdata@example.com", message_for(2) + std::string(16 << 20, 'x'));
  EXPECT_EQ(dropped.status, DeliveryStatus::Dropped);
  EXPECT_FALSE(dropped.ambiguous);
  EXPECT_TRUE(pool.send("s@sender.example", "b@example.com", message_for(3)).accepted());
  ASSERT_TRUE(server.wait_for_messages(2));
  auto stored = server.messages();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_NE(stored[0].peer, stored[1].peer);
  // The drop hit a reused connection, so the pool tried once more on a fresh
  // one (dropped again), and the next message needed a third.
  EXPECT_EQ(pool.stats().connections_opened, 3u);
}

TEST(SmtpPool, AConnectionTheServerClosedWhileIdleCostsNoFailure) {
  for (bool pipelining : {false, true}) {
    for (bool says_421 : {false, true}) {
      SmtpServerOptions options;
      options.idle_timeout = 0.3;
      options.idle_421 = says_421;
      options.pipelining = pipelining;
      TestSmtpServer server(options);
      SmtpPool pool(parse_smtp_url(server.url({}, "starttls=never")), 1);
      ASSERT_TRUE(pool.send("s@sender.example", "a@example.com", message_for(1)).accepted());
      std::this_thread::sleep_for(std::chrono::seconds(2));  // the server hangs up meanwhile
      auto r = pool.send("s@sender.example", "b@example.com", message_for(2));
      EXPECT_TRUE(r.accepted()) << r.to_string() << " pipelining " << pipelining << " 421 " << says_421;
      ASSERT_TRUE(server.wait_for_messages(2));
      EXPECT_EQ(pool.stats().connections_opened, 2u);
    }
  }
}

TEST(SmtpPool, MessagesPerConnectionCanBeCapped) {
  TestSmtpServer server;
  SmtpPool pool(parse_smtp_url(server.url({}, "starttls=never&max_messages=3")), 1);
  for (int i = 0; i < 7; ++i) EXPECT_TRUE(pool.send("s@sender.example", "a@example.com", message_for(i)).accepted());
  ASSERT_TRUE(server.wait_for_messages(7));
  std::set<std::string> peers;
  for (const auto& m : server.messages()) peers.insert(m.peer);
  EXPECT_EQ(peers.size(), 3u);  // 3 + 3 + 1
}

TEST(SmtpPool, CheckReportsReachability) {
  auto server = std::make_unique<TestSmtpServer>();
  SmtpPool pool(parse_smtp_url(server->url({}, "starttls=never")), 2);
  auto first = pool.check();
  EXPECT_TRUE(first.accepted()) << first.to_string();
  EXPECT_EQ(first.stage, "connect");
  auto second = pool.check();
  EXPECT_TRUE(second.accepted());
  EXPECT_EQ(second.stage, "noop");
  server.reset();  // the server goes away
  auto down = pool.check();
  EXPECT_FALSE(down.accepted());
  EXPECT_EQ(down.status, DeliveryStatus::Deferred);

  SmtpCheck check(pool);
  auto report = check.check();
  EXPECT_EQ(report.status, "unhealthy");
  EXPECT_THAT(report.details["server"].get<std::string>(), HasSubstr("smtp://127.0.0.1:"));
  EXPECT_TRUE(report.details.contains("error"));
}

TEST(SmtpPool, AnUnreachableServerDefersEveryMessage) {
  SmtpPool pool(parse_smtp_url("smtp://127.0.0.1:" + std::to_string(test::free_port()) + "?connect_timeout=2s"), 2);
  auto r = pool.send("s@sender.example", "a@example.com", message_for(1));
  EXPECT_EQ(r.status, DeliveryStatus::Deferred);
  EXPECT_EQ(r.stage, "connect");
  EXPECT_TRUE(r.retryable());
}

TEST(SmtpTransport, SendsThroughThePoolFromTheConfiguration) {
  SmtpServerOptions options;
  options.starttls = true;
  TestSmtpServer server(options);
  Config config;
  config.smtp_url = server.url({}, "ca_file=" + server.ca_file().string());
  config.smtp_pool = 2;
  auto outbox = std::shared_ptr<OutboxSink>();
  auto transport = make_transport(config, outbox);
  EXPECT_EQ(transport->name(), "smtp");
  auto r = transport->send({"s@sender.example", "ann@example.com", message_for(1), "<1@sender.example>"});
  EXPECT_TRUE(r.accepted()) << r.to_string();
  ASSERT_TRUE(server.wait_for_messages(1));
  EXPECT_TRUE(server.messages()[0].tls);
}

}  // namespace
}  // namespace herald::mail
