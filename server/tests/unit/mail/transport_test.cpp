#include "mail/transport.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/errors.hpp"

namespace herald::mail {
namespace {

using ::testing::HasSubstr;

class RecordingSink final : public OutboxSink {
 public:
  void store(const OutgoingMessage& m) override {
    if (fail) throw std::runtime_error("disk full");
    stored.push_back(m);
  }
  std::vector<OutgoingMessage> stored;
  bool fail = false;
};

TEST(OutboxTransport, StoresTheMessageAsAccepted) {
  auto sink = std::make_shared<RecordingSink>();
  OutboxTransport outbox(sink);
  EXPECT_EQ(outbox.name(), "outbox");
  auto r = outbox.send({"b@acme.example", "ann@example.com", "From: x\r\n\r\nbody\r\n", "<c1.l2.herald@acme.example>"});
  EXPECT_TRUE(r.accepted());
  EXPECT_EQ(r.stage, "outbox");
  ASSERT_EQ(sink->stored.size(), 1u);
  EXPECT_EQ(sink->stored[0].rcpt_to, "ann@example.com");
  EXPECT_EQ(sink->stored[0].message_id, "<c1.l2.herald@acme.example>");
}

TEST(OutboxTransport, AStorageFailureIsDeferredNotLost) {
  auto sink = std::make_shared<RecordingSink>();
  sink->fail = true;
  OutboxTransport outbox(sink);
  auto r = outbox.send({"b@acme.example", "ann@example.com", "x", "<x@y>"});
  EXPECT_EQ(r.status, DeliveryStatus::Deferred);
  EXPECT_THAT(r.reply, HasSubstr("disk full"));
}

TEST(MakeTransport, OutboxWithoutSmtpUrl) {
  Config config;
  auto sink = std::make_shared<RecordingSink>();
  auto transport = make_transport(config, sink);
  EXPECT_EQ(transport->name(), "outbox");
}

TEST(MakeTransport, SmtpWithAUrlAndAClearErrorForABadOne) {
  Config config;
  config.smtp_url = "smtp://127.0.0.1:2525?starttls=never";
  EXPECT_EQ(make_transport(config, nullptr)->name(), "smtp");
  config.smtp_url = "smtp://127.0.0.1:2525?starttls=sometimes";
  try {
    make_transport(config, nullptr);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.variable(), "HERALD_SMTP_URL");
  }
  config.smtp_url = "smtps://127.0.0.1:2525?ca_file=/nonexistent/ca.pem";
  EXPECT_THROW(make_transport(config, nullptr), ConfigError);
}

}  // namespace
}  // namespace herald::mail
