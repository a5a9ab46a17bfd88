#include "mail/tracking.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/crypto.hpp"

namespace herald::mail {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSecret = "0123456789abcdef0123456789abcdef-tracking";

TEST(TrackingToken, RoundTripsEveryKind) {
  TokenSigner signer(kSecret);
  for (TrackingToken t : {TrackingToken{TokenKind::Open, 1, 2, 0}, TrackingToken{TokenKind::Click, 77, 1'000'000, 12},
                          TrackingToken{TokenKind::Unsubscribe, INT64_MAX, 0, 0}}) {
    auto token = signer.sign(t);
    EXPECT_LE(token.size(), 64u);
    auto back = signer.verify(token, t.kind);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, t);
  }
}

TEST(TrackingToken, HoldsNoReadableData) {
  TokenSigner signer(kSecret);
  auto token = signer.sign({TokenKind::Click, 123456, 654321, 3});
  EXPECT_THAT(token, Not(HasSubstr("123456")));
  EXPECT_THAT(token, Not(HasSubstr("654321")));
  for (char c : token) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
}

TEST(TrackingToken, EveryAlteredCharacterIsRefused) {
  TokenSigner signer(kSecret);
  auto token = signer.sign({TokenKind::Click, 5, 9, 1});
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (char c : alphabet) {
      if (c == token[i]) continue;
      std::string altered = token;
      altered[i] = c;
      EXPECT_FALSE(signer.verify(altered, TokenKind::Click).has_value()) << altered;
    }
  }
}

TEST(TrackingToken, ForgedTruncatedExtendedAndForeignTokensAreRefused) {
  TokenSigner signer(kSecret);
  auto token = signer.sign({TokenKind::Open, 5, 9, 0});
  EXPECT_FALSE(signer.verify("", TokenKind::Open));
  EXPECT_FALSE(signer.verify(token.substr(0, token.size() - 1), TokenKind::Open));
  EXPECT_FALSE(signer.verify(token + "A", TokenKind::Open));
  EXPECT_FALSE(signer.verify(token + "=", TokenKind::Open));
  EXPECT_FALSE(signer.verify(std::string(500, 'A'), TokenKind::Open));
  EXPECT_FALSE(signer.verify("not/base64!", TokenKind::Open));
  for (int i = 0; i < 200; ++i)
    EXPECT_FALSE(signer.verify(crypto::random_token(24 + i % 10), TokenKind::Open).has_value());
  TokenSigner other(std::string(40, 'k'));
  EXPECT_FALSE(other.verify(token, TokenKind::Open));
}

TEST(TrackingToken, EveryLengthUpToTheLimitIsCheckedAndRefusedWhenNotOurs) {
  // verify decodes, re-encodes and MACs in fixed buffers: every length up to
  // the 96-character limit (and past it) must be refused cleanly, never
  // written past a buffer; the largest ids still round-trip.
  TokenSigner signer(kSecret);
  for (std::size_t n = 0; n <= 100; ++n) {
    EXPECT_FALSE(signer.verify(std::string(n, 'A'), TokenKind::Click).has_value()) << n;
    EXPECT_FALSE(signer.verify(std::string(n, '_'), TokenKind::Open).has_value()) << n;
    if (n > 0) {
      EXPECT_FALSE(signer.verify(crypto::random_token(n), TokenKind::Open).has_value()) << n;
    }
  }
  TrackingToken big{TokenKind::Click, INT64_MAX, INT64_MAX, UINT32_MAX};
  auto token = signer.sign(big);
  EXPECT_LE(token.size(), 96u);
  EXPECT_EQ(signer.verify(token, TokenKind::Click), big);
}

TEST(TrackingToken, AKindCannotStandInForAnother) {
  TokenSigner signer(kSecret);
  auto open = signer.sign({TokenKind::Open, 5, 9, 0});
  EXPECT_FALSE(signer.verify(open, TokenKind::Unsubscribe));
  EXPECT_FALSE(signer.verify(open, TokenKind::Click));
  EXPECT_TRUE(signer.verify(open, TokenKind::Open));
}

TEST(TrackingToken, ShortSecretsAndNegativeIdsAreRefused) {
  EXPECT_THROW(TokenSigner("short"), std::invalid_argument);
  TokenSigner signer(kSecret);
  EXPECT_THROW(signer.sign({TokenKind::Open, -1, 2, 0}), std::invalid_argument);
}

TEST(RewriteLinks, ReplacesHttpLinksAndKeepsTheOriginals) {
  std::string html =
      "<p><a href=\"https://example.com/a?x=1&amp;y=2\">A</a> <A HREF='http://example.com/b'>B</A> "
      "<a class=x href=https://example.com/c>C</a> <a href=\"https://example.com/a?x=1&amp;y=2\">A again</a> "
      "<a href=\"mailto:hi@example.com\">mail</a> <a href=\"#top\">top</a> <a name=\"n\">anchor</a></p>"
      "<!-- <a href=\"https://example.com/commented\">x</a> -->"
      "<style>a[href=\"https://example.com/css\"]{}</style>";
  auto out = rewrite_links(html, [](std::uint32_t i) { return "https://t.example/c/" + std::to_string(i); });
  EXPECT_THAT(out.links, ElementsAre("https://example.com/a?x=1&y=2", "http://example.com/b", "https://example.com/c"));
  EXPECT_EQ(out.html,
            "<p><a href=\"https://t.example/c/0\">A</a> <A HREF='https://t.example/c/1'>B</A> "
            "<a class=x href=\"https://t.example/c/2\">C</a> <a href=\"https://t.example/c/0\">A again</a> "
            "<a href=\"mailto:hi@example.com\">mail</a> <a href=\"#top\">top</a> <a name=\"n\">anchor</a></p>"
            "<!-- <a href=\"https://example.com/commented\">x</a> -->"
            "<style>a[href=\"https://example.com/css\"]{}</style>");
}

TEST(RewriteLinks, KeepPredicateLeavesLinksAlone) {
  auto out = rewrite_links(
      "<a href=\"https://a.example\">a</a><a href=\"https://b.example\">b</a>",
      [](std::uint32_t i) { return "T" + std::to_string(i); },
      [](std::string_view url) { return url == "https://a.example"; });
  EXPECT_EQ(out.html, "<a href=\"https://a.example\">a</a><a href=\"T0\">b</a>");
  EXPECT_THAT(out.links, ElementsAre("https://b.example"));
}

TEST(OpenPixel, GoesBeforeTheBodyEnd) {
  EXPECT_EQ(insert_open_pixel("<html><body><p>x</p></BODY></html>", "https://t/o/1"),
            "<html><body><p>x</p><img src=\"https://t/o/1\" width=\"1\" height=\"1\" alt=\"\" "
            "style=\"display:block;width:1px;height:1px;border:0\"></BODY></html>");
  EXPECT_TRUE(insert_open_pixel("<p>fragment</p>", "P").starts_with("<p>fragment</p><img src=\"P\""));
}

TEST(Tracker, AppliesClickAndOpenTrackingButNotToItsOwnLinks) {
  TokenSigner signer(kSecret);
  Tracker tracker(signer, "https://h.example/");
  std::string unsubscribe = tracker.unsubscribe_url(4, 8);
  EXPECT_TRUE(unsubscribe.starts_with("https://h.example/u/"));
  std::string html =
      "<body><a href=\"https://site.example/x\">x</a><a href=\"" + unsubscribe + "\">unsubscribe</a></body>";
  auto out = tracker.apply(html, 4, 8, true, true);
  ASSERT_THAT(out.links, ElementsAre("https://site.example/x"));
  EXPECT_THAT(out.html, HasSubstr("href=\"" + unsubscribe + "\""));
  auto click_at = out.html.find("https://h.example/t/c/");
  ASSERT_NE(click_at, std::string::npos);
  auto token = out.html.substr(click_at + 22, out.html.find('"', click_at) - click_at - 22);
  auto click = signer.verify(token, TokenKind::Click);
  ASSERT_TRUE(click.has_value());
  EXPECT_EQ(*click, (TrackingToken{TokenKind::Click, 4, 8, 0}));
  auto pixel_at = out.html.find("https://h.example/t/o/");
  ASSERT_NE(pixel_at, std::string::npos);
  auto open =
      signer.verify(out.html.substr(pixel_at + 22, out.html.find('"', pixel_at) - pixel_at - 22), TokenKind::Open);
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(open->lead_id, 8);
  auto unsub = signer.verify(unsubscribe.substr(20), TokenKind::Unsubscribe);
  ASSERT_TRUE(unsub.has_value());
  EXPECT_EQ(unsub->campaign_id, 4);
}

TEST(Tracker, TrackingOffLeavesTheHtmlAsItIs) {
  TokenSigner signer(kSecret);
  Tracker tracker(signer, "https://h.example");
  auto out = tracker.apply("<a href=\"https://x.example\">x</a>", 1, 2, false, false);
  EXPECT_EQ(out.html, "<a href=\"https://x.example\">x</a>");
  EXPECT_TRUE(out.links.empty());
}

}  // namespace
}  // namespace herald::mail
