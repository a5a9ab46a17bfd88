// The IMAP client's pure parts: the mailbox URL and SEARCH answers.
#include <gtest/gtest.h>

#include "inbound/imap.hpp"

namespace herald::inbound {
namespace {

TEST(InboundImapTest, UrlSchemesMailboxAndCaFile) {
  auto u = parse_imap_url("imaps://mail.example.com:993/INBOX");
  EXPECT_EQ(u.base, "imaps://mail.example.com:993/INBOX");
  EXPECT_TRUE(u.implicit_tls);
  EXPECT_EQ(u.ca_file, "");
  u = parse_imap_url("imap://127.0.0.1:1143/Bounces?ca_file=/tmp/ca.pem");
  EXPECT_EQ(u.base, "imap://127.0.0.1:1143/Bounces");
  EXPECT_FALSE(u.implicit_tls);
  EXPECT_EQ(u.ca_file, "/tmp/ca.pem");
  EXPECT_EQ(parse_imap_url("imaps://mail.example.com").base, "imaps://mail.example.com/INBOX");
  EXPECT_EQ(parse_imap_url("IMAPS://mail.example.com/").base, "IMAPS://mail.example.com/INBOX");
  EXPECT_THROW(parse_imap_url("pop3://mail.example.com"), ImapError);
  EXPECT_THROW(parse_imap_url("imaps:///INBOX"), ImapError);
  EXPECT_THROW(parse_imap_url("imaps://mail.example.com/INBOX?verify=false"), ImapError);
}

TEST(InboundImapTest, SearchAnswers) {
  EXPECT_EQ(parse_search("* SEARCH 3 4 17\r\n"), (std::vector<std::uint32_t>{3, 4, 17}));
  EXPECT_EQ(parse_search("* FLAGS (\\Seen)\r\n* OK [PERMANENTFLAGS (\\*)]\r\n* SEARCH\r\n"),
            std::vector<std::uint32_t>{});
  EXPECT_EQ(parse_search("* SEARCH 1 x 99999999999 0 2\r\n"), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_TRUE(parse_search("").empty());
}

}  // namespace
}  // namespace herald::inbound
