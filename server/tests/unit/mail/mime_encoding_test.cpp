#include "mail/mime_encoding.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sodium.h>

#include "core/strings.hpp"

namespace herald::mail {
namespace {

using ::testing::HasSubstr;

// A straightforward quoted-printable decoder (RFC 2045 §6.7), to check round trips.
std::string qp_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '=') {
      if (s.substr(i + 1, 2) == "\r\n") {
        i += 2;
        continue;
      }
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string_view> lines_of(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < s.size()) {
    auto crlf = s.find("\r\n", pos);
    if (crlf == std::string_view::npos) crlf = s.size();
    lines.push_back(s.substr(pos, crlf - pos));
    pos = crlf + 2;
  }
  return lines;
}

std::string b64decode(std::string_view s) {
  std::string out(s.size(), '\0');
  size_t len = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), s.data(), s.size(), nullptr,
                              &len, nullptr, sodium_base64_VARIANT_ORIGINAL),
            0);
  out.resize(len);
  return out;
}

TEST(QuotedPrintable, EncodesWhatItMust) {
  EXPECT_EQ(encode_quoted_printable("héllo = world"), "h=C3=A9llo =3D world");
  EXPECT_EQ(encode_quoted_printable("trailing \nspace\t\r\nend "), "trailing=20\r\nspace=09\r\nend=20");
  EXPECT_EQ(encode_quoted_printable("a\rb\nc\r\n"), "a\r\nb\r\nc\r\n");
}

TEST(QuotedPrintable, LongLinesGetSoftBreaksAndRoundTrip) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich. ";
  text += "\r\nsecond line = with equals\r\n";
  auto encoded = encode_quoted_printable(text);
  for (auto line : lines_of(encoded)) EXPECT_LE(line.size(), 76u) << line;
  for (unsigned char c : encoded) EXPECT_LT(c, 0x80);
  EXPECT_EQ(qp_decode(encoded), text);
}

// Plain ASCII prose (a newsletter's usual text) is written in runs: each
// line is filled to 75 characters and its soft break.
TEST(QuotedPrintable, AsciiProseFillsEveryLineAndRoundTrips) {
  std::string text;
  for (int i = 0; i < 150; ++i) text += "Some content. ";
  auto encoded = encode_quoted_printable(text);
  auto lines = lines_of(encoded);
  ASSERT_GT(lines.size(), 20u);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    // The last full line may end early: the closing space needs three columns.
    if (i + 2 < lines.size()) {
      EXPECT_EQ(lines[i].size(), 76u) << lines[i];
    }
    EXPECT_LE(lines[i].size(), 76u) << lines[i];
    EXPECT_EQ(lines[i].back(), '=') << lines[i];
  }
  EXPECT_TRUE(lines.back().ends_with("=20")) << lines.back();  // a space that ends the text
  EXPECT_EQ(qp_decode(encoded), text);
}

TEST(QuotedPrintable, EveryByteRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i)
    if (i != '\r' && i != '\n') all += static_cast<char>(i);
  all += all;
  EXPECT_EQ(qp_decode(encode_quoted_printable(all)), all);
}

TEST(Base64Lines, SplitsAt76) {
  std::string data(1000, 'x');
  auto encoded = encode_base64_lines(data);
  auto lines = lines_of(encoded);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) EXPECT_EQ(lines[i].size(), 76u);
  std::string joined;
  for (auto l : lines) joined += l;
  EXPECT_EQ(b64decode(joined), data);
}

TEST(TransferEncoding, ChoosesByContent) {
  EXPECT_EQ(choose_transfer_encoding("Hello,\r\nplain short lines.\r\n"), TransferEncoding::SevenBit);
  EXPECT_EQ(choose_transfer_encoding(std::string(200, 'a')), TransferEncoding::QuotedPrintable);
  EXPECT_EQ(choose_transfer_encoding("Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich"),
            TransferEncoding::QuotedPrintable);
  EXPECT_EQ(choose_transfer_encoding("Grüße aus Köln"), TransferEncoding::Base64);
  EXPECT_EQ(choose_transfer_encoding("Здравствуйте, как дела? Всё хорошо."), TransferEncoding::Base64);
  EXPECT_EQ(choose_transfer_encoding("こんにちは世界"), TransferEncoding::Base64);
  EXPECT_EQ(choose_transfer_encoding("contains =_ a boundary prefix"), TransferEncoding::QuotedPrintable);
  EXPECT_EQ(choose_transfer_encoding("a bell \x07"), TransferEncoding::QuotedPrintable);
}

TEST(TransferEncoding, BodiesUseCrlfOnlyAndEndWhereTheTextEnds) {
  for (auto enc : {TransferEncoding::SevenBit, TransferEncoding::QuotedPrintable, TransferEncoding::Base64}) {
    auto body = encode_body("one\ntwo\rthree", enc);
    EXPECT_FALSE(body.ends_with("\r\n"));
    if (enc != TransferEncoding::Base64) {
      EXPECT_TRUE(encode_body("one\n", enc).ends_with("one\r\n"));
    }
    for (std::size_t i = 0; i < body.size(); ++i) {
      if (body[i] == '\n') {
        EXPECT_EQ(body[i - 1], '\r');
      }
      if (body[i] == '\r') {
        EXPECT_EQ(body[i + 1], '\n');
      }
    }
  }
  EXPECT_EQ(b64decode(lines_of(encode_body("one\ntwo", TransferEncoding::Base64))[0]), "one\r\ntwo");
}

TEST(HeaderText, AsciiStaysReadable) {
  EXPECT_EQ(encode_header_text("Hello Ann, news from Acme"), "Hello Ann, news from Acme");
  EXPECT_EQ(encode_header_text("line\r\nbreak"), "line  break");
}

TEST(HeaderText, NonAsciiBecomesEncodedWords) {
  EXPECT_EQ(encode_header_text("Grüße"), "=?UTF-8?B?R3LDvMOfZQ==?=");
  EXPECT_THAT(encode_header_text("looks =?like?= a word"), HasSubstr("=?UTF-8?B?"));
}

TEST(HeaderText, LongTextSplitsBetweenCharacters) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "日本語のテキスト😀";
  auto encoded = encode_header_text(text);
  std::string decoded;
  for (auto word : split(encoded, ' ')) {
    EXPECT_LE(word.size(), 75u);
    ASSERT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?="));
    auto piece = b64decode(word.substr(10, word.size() - 12));
    EXPECT_TRUE(valid_utf8(piece)) << "a character was split";
    decoded += piece;
  }
  EXPECT_EQ(decoded, text);
}

TEST(Addresses, AddrSpecIsQuotedWhenNeeded) {
  EXPECT_EQ(format_addr_spec("ann.lee+news@example.com"), "ann.lee+news@example.com");
  EXPECT_EQ(format_addr_spec("john doe@example.com"), "\"john doe\"@example.com");
  EXPECT_EQ(format_addr_spec("a\"b@example.com"), "\"a\\\"b\"@example.com");
  EXPECT_EQ(format_addr_spec("x@[192.0.2.1]"), "x@[192.0.2.1]");
  EXPECT_THROW(format_addr_spec("no-at-sign"), MimeError);
  EXPECT_THROW(format_addr_spec("ann@"), MimeError);
  EXPECT_THROW(format_addr_spec("ann@bad domain.com"), MimeError);
  EXPECT_THROW(format_addr_spec("jösé@example.com"), MimeError);
  EXPECT_THROW(format_addr_spec("ann@example.com\r\nBcc: x@y.z"), MimeError);
}

TEST(Addresses, DisplayNamesAreAtomsQuotedOrEncoded) {
  EXPECT_EQ(format_address("", "ann@example.com"), "<ann@example.com>");
  EXPECT_EQ(format_address("Ann Lee", "ann@example.com"), "Ann Lee <ann@example.com>");
  EXPECT_EQ(format_address("Lee, Ann (Acme)", "ann@example.com"), "\"Lee, Ann (Acme)\" <ann@example.com>");
  EXPECT_EQ(format_address("Say \"hi\"", "a@example.com"), "\"Say \\\"hi\\\"\" <a@example.com>");
  EXPECT_EQ(format_address("José", "jose@example.com"), "=?UTF-8?B?Sm9zw6k=?= <jose@example.com>");
  EXPECT_EQ(format_address("Evil\r\nBcc: x@y.z", "a@example.com"), "\"Evil  Bcc: x@y.z\" <a@example.com>");
}

TEST(Folding, LongValuesFoldAtSpaces) {
  std::string value;
  for (int i = 0; i < 30; ++i) value += "word" + std::to_string(i) + " ";
  value += "end";
  auto folded = fold_header("Subject", value);
  ASSERT_TRUE(folded.ends_with("\r\n"));
  auto lines = lines_of(folded);
  ASSERT_GT(lines.size(), 1u);
  std::string unfolded;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size(), 78u);
    if (i > 0) {
      EXPECT_EQ(lines[i].front(), ' ');
    }
    unfolded += lines[i];
  }
  EXPECT_EQ(unfolded, "Subject: " + value);
}

TEST(Folding, AWordLongerThanALineIsRefused) {
  EXPECT_THROW(fold_header("X-Long", std::string(1200, 'a')), MimeError);
  EXPECT_EQ(fold_header("X-Empty", ""), "X-Empty: \r\n");
}

TEST(Date, Rfc5322InUtc) {
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1796119200));  // 2026-12-01 10:00:00 UTC
  EXPECT_EQ(format_date(t), "Tue, 01 Dec 2026 10:00:00 +0000");
}

}  // namespace
}  // namespace herald::mail
