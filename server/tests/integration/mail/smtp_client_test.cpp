// The SMTP client against a real server (python3-aiosmtpd, started per test):
// delivery, TLS, AUTH, pipelining, and how each kind of failure is reported.
#include "mail/smtp_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/mail_tools.hpp"

namespace herald::mail {
namespace {

using test::SmtpServerOptions;
using test::TestSmtpServer;
using ::testing::HasSubstr;

const std::string kMessage =
    "From: a@sender.example\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nline one\r\n.starts with a dot\r\n..two\r\n";

std::unique_ptr<SmtpClient> client_for(const std::string& url) {
  auto client = std::make_unique<SmtpClient>(parse_smtp_url(url), nullptr);
  client->connect();
  return client;
}

TEST(SmtpClient, DeliversAMessageIntact) {
  TestSmtpServer server;
  auto client = client_for(server.url({}, "starttls=never"));
  auto r = client->send("bounce@sender.example", "ann@example.com", kMessage);
  ASSERT_TRUE(r.accepted()) << r.to_string();
  EXPECT_EQ(r.code, 250);
  EXPECT_THAT(r.reply, HasSubstr("queued as"));
  ASSERT_TRUE(server.wait_for_messages(1));
  auto stored = server.messages();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].data, kMessage);  // dot-stuffed on the wire, the same on arrival
  EXPECT_EQ(stored[0].mail_from, "bounce@sender.example");
  EXPECT_EQ(stored[0].rcpt_tos, std::vector<std::string>{"ann@example.com"});
  EXPECT_FALSE(stored[0].tls);
}

TEST(SmtpClient, ManyMessagesOnOneConnectionWithResetAfterARefusal) {
  for (bool pipelining : {false, true}) {
    SmtpServerOptions options;
    options.pipelining = pipelining;
    TestSmtpServer server(options);
    auto client = client_for(server.url({}, "starttls=never"));
    EXPECT_EQ(client->capabilities().pipelining, pipelining);
    std::vector<DeliveryStatus> statuses;
    for (const char* rcpt : {"a@example.com", "perm-1@example.com", "b@example.com", "temp-1@example.com",
                             "c@example.com", "permdata@example.com", "d@example.com"}) {
      statuses.push_back(client->send("s@sender.example", rcpt, kMessage).status);
    }
    using S = DeliveryStatus;
    EXPECT_EQ(statuses, (std::vector<S>{S::Accepted, S::Rejected, S::Accepted, S::Deferred, S::Accepted, S::Rejected,
                                        S::Accepted}))
        << "pipelining " << pipelining;
    ASSERT_TRUE(server.wait_for_messages(4));
    auto stored = server.messages();
    ASSERT_EQ(stored.size(), 4u);
    for (const auto& m : stored) EXPECT_EQ(m.peer, stored[0].peer) << "one connection carried them all";
    EXPECT_EQ(client->messages_sent(), 4u);
  }
}

TEST(SmtpClient, TemporaryAndPermanentRefusalsKeepTheServersReply) {
  TestSmtpServer server;
  auto client = client_for(server.url({}, "starttls=never"));
  auto temp = client->send("s@sender.example", "temp-x@example.com", kMessage);
  EXPECT_EQ(temp.status, DeliveryStatus::Deferred);
  EXPECT_TRUE(temp.retryable());
  EXPECT_EQ(temp.code, 451);
  EXPECT_EQ(temp.stage, "rcpt");
  EXPECT_THAT(temp.reply, HasSubstr("451 4.7.1 <temp-x@example.com>: Recipient address deferred"));

  auto perm = client->send("s@sender.example", "perm-x@example.com", kMessage);
  EXPECT_EQ(perm.status, DeliveryStatus::Rejected);
  EXPECT_FALSE(perm.retryable());
  EXPECT_EQ(perm.code, 550);
  EXPECT_THAT(perm.reply, HasSubstr("550 5.1.1 <perm-x@example.com>: Recipient address rejected: User unknown"));

  auto sender = client->send("reject@sender.example", "ok@example.com", kMessage);
  EXPECT_EQ(sender.status, DeliveryStatus::Rejected);
  EXPECT_EQ(sender.stage, "mail");
  EXPECT_EQ(sender.code, 553);

  auto after_data = client->send("s@sender.example", "tempdata@example.com", kMessage);
  EXPECT_EQ(after_data.status, DeliveryStatus::Deferred);
  EXPECT_EQ(after_data.stage, "message");
  EXPECT_EQ(after_data.code, 452);

  auto spam = client->send("s@sender.example", "permdata@example.com", kMessage);
  EXPECT_EQ(spam.status, DeliveryStatus::Rejected);
  EXPECT_EQ(spam.stage, "message");
  EXPECT_THAT(spam.reply, HasSubstr("554 5.7.1 Message rejected as spam"));

  EXPECT_TRUE(client->send("s@sender.example", "fine@example.com", kMessage).accepted());
  EXPECT_TRUE(client->connected());
}

TEST(SmtpClient, ADropInTheMiddleOfDataIsRetryableAndNothingArrives) {
  TestSmtpServer server;
  auto client = client_for(server.url({}, "starttls=never"));
  // Larger than the socket buffers of both ends: the write itself meets the
  // hang-up, so the final dot is known not to have been sent.
  std::string big = kMessage + std::string(16 << 20, 'x') + "\r\n";
  auto r = client->send("s@sender.example", "dropdata@example.com", big);
  EXPECT_EQ(r.status, DeliveryStatus::Dropped);
  EXPECT_TRUE(r.retryable());
  EXPECT_FALSE(r.ambiguous) << r.to_string();
  EXPECT_FALSE(client->connected());
  EXPECT_TRUE(server.messages().empty());
}

TEST(SmtpClient, ADropAfterTheWholeMessageIsFlaggedAmbiguous) {
  TestSmtpServer server;
  auto client = client_for(server.url({}, "starttls=never"));
  auto r = client->send("s@sender.example", "dropafter@example.com", kMessage);
  EXPECT_EQ(r.status, DeliveryStatus::Dropped);
  EXPECT_TRUE(r.ambiguous) << r.to_string();
  EXPECT_TRUE(r.retryable());
  EXPECT_EQ(r.stage, "message");
  // The server did take it: the one window where a retry can duplicate a message.
  EXPECT_TRUE(server.wait_for_messages(1));
}

TEST(SmtpClient, StartTlsWithAuthPlain) {
  SmtpServerOptions options;
  options.starttls = true;
  options.auth = "herald:s3cret";
  TestSmtpServer server(options);
  auto client = client_for(server.url("herald:s3cret", "starttls=required&ca_file=" + server.ca_file().string()));
  EXPECT_TRUE(client->tls_active());
  ASSERT_TRUE(client->send("s@sender.example", "ann@example.com", kMessage).accepted());
  ASSERT_TRUE(server.wait_for_messages(1));
  auto stored = server.messages();
  EXPECT_TRUE(stored[0].tls);
  EXPECT_EQ(stored[0].login, "herald");
}

TEST(SmtpClient, AuthLoginWhenPlainIsNotOffered) {
  SmtpServerOptions options;
  options.starttls = true;
  options.auth = "herald:s3cret";
  options.refuse_mechanisms = "PLAIN";
  TestSmtpServer server(options);
  auto client = client_for(server.url("herald:s3cret", "ca_file=" + server.ca_file().string()));
  EXPECT_FALSE(client->capabilities().auth.contains("PLAIN"));
  ASSERT_TRUE(client->send("s@sender.example", "ann@example.com", kMessage).accepted());
  ASSERT_TRUE(server.wait_for_messages(1));
  EXPECT_EQ(server.messages()[0].login, "herald");
}

TEST(SmtpClient, ImplicitTls) {
  SmtpServerOptions options;
  options.implicit_tls = true;
  TestSmtpServer server(options);
  auto client = client_for(server.url({}, "ca_file=" + server.ca_file().string()));
  EXPECT_TRUE(client->tls_active());
  ASSERT_TRUE(client->send("s@sender.example", "ann@example.com", kMessage).accepted());
  ASSERT_TRUE(server.wait_for_messages(1));
  EXPECT_TRUE(server.messages()[0].tls);
}

TEST(SmtpClient, ConnectionProblemsAreDeferredWithTheStage) {
  SmtpServerOptions options;
  options.starttls = true;
  options.auth = "herald:s3cret";
  TestSmtpServer server(options);
  auto failure = [](const std::string& url) {
    SmtpClient client(parse_smtp_url(url), nullptr);
    try {
      client.connect();
    } catch (const SmtpConnectError& e) {
      EXPECT_EQ(e.result().status, DeliveryStatus::Deferred);
      EXPECT_FALSE(client.connected());
      return e.result();
    }
    ADD_FAILURE() << url << " connected";
    return DeliveryResult{};
  };
  auto bad_password = failure(server.url("herald:wrong", "ca_file=" + server.ca_file().string()));
  EXPECT_EQ(bad_password.stage, "auth");
  EXPECT_EQ(bad_password.code, 535);
  // The system's trust store does not know the test certificate.
  auto untrusted = failure(server.url("herald:s3cret", "starttls=required"));
  EXPECT_EQ(untrusted.stage, "starttls");
  EXPECT_THAT(untrusted.reply, HasSubstr("certificate"));
  // Credentials never travel in the clear.
  auto cleartext = failure(server.url("herald:s3cret", "starttls=never"));
  EXPECT_EQ(cleartext.stage, "auth");
  EXPECT_THAT(cleartext.reply, HasSubstr("without TLS"));
  // Without verification the same server is accepted.
  auto unverified = client_for(server.url("herald:s3cret", "tls_verify=false"));
  EXPECT_TRUE(unverified->tls_active());

  auto refused_port = test::free_port();
  auto refused = failure("smtp://127.0.0.1:" + std::to_string(refused_port));
  EXPECT_EQ(refused.stage, "connect");
}

TEST(SmtpClient, RequiredStartTlsRefusesAServerWithoutIt) {
  TestSmtpServer server;
  SmtpClient client(parse_smtp_url(server.url({}, "starttls=required")), nullptr);
  try {
    client.connect();
    FAIL() << "connected without TLS";
  } catch (const SmtpConnectError& e) {
    EXPECT_EQ(e.result().stage, "starttls");
  }
}

TEST(SmtpClient, ASilentServerTimesOut) {
  // Accepts connections (the kernel does) but never says a word.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  auto url = "smtp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "?timeout=300ms";
  SmtpClient client(parse_smtp_url(url), nullptr);
  auto start = std::chrono::steady_clock::now();
  try {
    client.connect();
    ADD_FAILURE() << "connected";
  } catch (const SmtpConnectError& e) {
    EXPECT_EQ(e.result().stage, "greeting");
    EXPECT_THAT(e.result().reply, HasSubstr("in time"));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  ::close(fd);
}

TEST(SmtpClient, ASlowCommandTimesOutAndDropsTheConnection) {
  SmtpServerOptions options;
  options.slow = 5;
  TestSmtpServer server(options);
  auto client = client_for(server.url({}, "starttls=never&timeout=300ms"));
  auto r = client->send("s@sender.example", "slow@example.com", kMessage);
  EXPECT_EQ(r.status, DeliveryStatus::Dropped);
  EXPECT_EQ(r.stage, "rcpt");
  EXPECT_FALSE(r.ambiguous);
  EXPECT_FALSE(client->connected());
}

TEST(SmtpClient, SizeLimitIsCheckedBeforeSending) {
  SmtpServerOptions options;
  options.size = 1000;
  TestSmtpServer server(options);
  auto client = client_for(server.url({}, "starttls=never"));
  EXPECT_EQ(client->capabilities().size, 1000u);
  auto r = client->send("s@sender.example", "ann@example.com", kMessage + std::string(2000, 'x'));
  EXPECT_EQ(r.status, DeliveryStatus::Rejected);
  EXPECT_EQ(r.stage, "size");
  EXPECT_EQ(r.code, 552);
  EXPECT_TRUE(client->send("s@sender.example", "ann@example.com", kMessage).accepted());
}

TEST(SmtpClient, BadEnvelopeAddressesNeverReachTheServer) {
  TestSmtpServer server;
  auto client = client_for(server.url({}, "starttls=never"));
  auto r = client->send("s@sender.example", "x@example.com>\r\nRCPT TO:<y@example.com", kMessage);
  EXPECT_EQ(r.status, DeliveryStatus::Rejected);
  EXPECT_EQ(r.stage, "envelope");
  EXPECT_TRUE(client->send("s@sender.example", "ann@example.com", kMessage).accepted());
  ASSERT_TRUE(server.wait_for_messages(1));
  EXPECT_EQ(server.messages().size(), 1u);
}

TEST(SmtpClient, NoopAndQuit) {
  TestSmtpServer server;
  auto client = client_for(server.url({}, "starttls=never"));
  EXPECT_TRUE(client->noop());
  client->quit();
  EXPECT_FALSE(client->connected());
  EXPECT_FALSE(client->noop());
  EXPECT_EQ(client->send("s@sender.example", "a@example.com", kMessage).status, DeliveryStatus::Dropped);
}

}  // namespace
}  // namespace herald::mail
