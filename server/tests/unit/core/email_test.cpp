#include "core/email.hpp"

#include <gtest/gtest.h>

namespace herald {
namespace {

TEST(Email, InternationalDomainsHaveOneCanonicalForm) {
  EXPECT_EQ(canonical_email("user@bücher.de"), "user@xn--bcher-kva.de");
  EXPECT_EQ(canonical_email("user@xn--bcher-kva.de"), "user@xn--bcher-kva.de");
  EXPECT_EQ(canonical_email(" User@BÜCHER.DE "), "user@xn--bcher-kva.de");
  EXPECT_EQ(canonical_email("user@XN--BCHER-KVA.de"), "user@xn--bcher-kva.de");
  // NFC: a precomposed é and e + combining acute are one domain.
  EXPECT_EQ(canonical_email("a@café.example"), canonical_email("a@cafe\u0301.example"));
  // IDNA 2008, not 2003: ß is its own letter.
  EXPECT_EQ(canonical_email("a@straße.de"), "a@xn--strae-oqa.de");
  // Plain ASCII domains are untouched but for case.
  EXPECT_EQ(canonical_email("Jane.Doe+news@Example.COM"), "jane.doe+news@example.com");
}

TEST(Email, DomainsThatAreNotValidIdnaAreRefused) {
  for (auto bad : {"a@xn--zz.de", "a@xn--bücher.de", "a@-bücher.de", "a@bücher-.de", "a@\u0661\u0662.de"}) {
    auto c = check_email(bad);
    EXPECT_FALSE(c.ok()) << bad;
  }
  EXPECT_NE(check_email("a@xn--zz.de").problem.find("internationalised domain"), std::string::npos);
}

TEST(Email, InvisibleAndFormattingCharactersAreRefusedNotDropped) {
  // UTS #46 would map these to nothing, making a look-alike of another address.
  for (auto bad :
       {"user@bü\u200Bcher.de", "us\u200Ber@example.com", "user@exam\u00ADple.com", "\u202Euser@example.com",
        "user@example.com\u2066", "user\u200D@example.com", "user\uFEFF@example.com", "user@ex\u2060ample.com",
        "user\u00A0x@example.com", "user@example\u3000.com", "user\U000E0041@example.com", "user\u034F@example.com"}) {
    auto c = check_email(bad);
    EXPECT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.problem.find("invisible or formatting"), std::string::npos) << bad << ": " << c.problem;
  }
  EXPECT_NE(check_email("user@bü\u200Bcher.de").problem.find("U+200B"), std::string::npos);
  EXPECT_EQ(first_invisible("plain text, ünïcödé"), std::nullopt);
  EXPECT_EQ(first_invisible("a\u202Eb"), U'\u202E');
}

TEST(Email, ShapeRulesStillHold) {
  for (auto bad : {"", "plain", "@x.io", "a@", "a@b", "a@@b.io", "a b@x.io", "a@x..io", ".a@x.io", "a.@x.io", "a@-x.io",
                   "a@x.io-", "a<b>@x.io", "a\"b@x.io", "a@x_y.io", "\xff@x.io"}) {
    EXPECT_EQ(canonical_email(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(canonical_email(std::string(250, 'a') + "@x.io"), std::nullopt);
  EXPECT_EQ(canonical_email(std::string(64, 'a') + "@x.io"), std::string(64, 'a') + "@x.io");
  EXPECT_EQ(canonical_email(std::string(65, 'a') + "@x.io"), std::nullopt);
  EXPECT_EQ(canonical_email("jörg@example.com"), "jörg@example.com");  // SMTPUTF8 local parts are kept
}

}  // namespace
}  // namespace herald
