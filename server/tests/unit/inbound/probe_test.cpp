// The mailbox test refuses an unusable URL before any I/O (the rest runs
// against a real Dovecot in tests/integration/inbound/probe_test.cpp).
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "inbound/probe.hpp"

namespace herald::inbound {
namespace {

TEST(InboundProbeTest, AnUnusableUrlIsAFieldErrorBeforeAnyConnection) {
  settings::InboundMailbox m{false, "imaps://mail.example.com/INBOX?verify=no", "u", "p", 60};
  try {
    probe(m);
    FAIL() << "no error";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].field, "imap_url");
  }
}

}  // namespace
}  // namespace herald::inbound
