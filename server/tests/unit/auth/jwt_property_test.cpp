// A token that differs from a valid one in any byte — of its header, its
// payload or its signature — is refused, and no input makes the decoder throw.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "auth/jwt.hpp"

namespace herald::auth {
namespace {

JwtSettings settings() {
  JwtSettings s;
  s.secret = std::string(32, 'k');
  return s;
}

const AccessClaims kClaims{.sub = 7, .role = "admin", .sid = "s1", .jti = "j1", .iat = 1000, .exp = 2000};

std::string_view part_of(const std::string& token, std::size_t i) {
  const auto d1 = token.find('.');
  const auto d2 = token.find('.', d1 + 1);
  if (i < d1) return "header";
  if (i < d2) return "payload";
  if (i > d2) return "signature";
  return "separator";
}

TEST(JwtProperties, EveryChangedByteOfAValidTokenIsRefused) {
  const auto s = settings();
  const std::string token = encode_jwt(kClaims, s);
  ASSERT_TRUE(decode_jwt(token, s, 1500).ok);
  std::map<std::string_view, int> tried;
  // Every position, every other byte value: 255 tokens per position.
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (int b = 0; b < 256; ++b) {
      if (static_cast<char>(b) == token[i]) continue;
      std::string mutated = token;
      mutated[i] = static_cast<char>(b);
      JwtResult r;
      ASSERT_NO_THROW(r = decode_jwt(mutated, s, 1500)) << "byte " << i << " = " << b;
      EXPECT_FALSE(r.ok) << part_of(token, i) << " byte " << i << " changed to " << b << " was accepted";
      ++tried[part_of(token, i)];
    }
  }
  // Each part was mutated, the signature's last character included.
  for (const auto part : {"header", "payload", "signature"}) EXPECT_GT(tried[part], 255 * 10) << part;
}

// base64url writes 32 bytes in 43 characters: the last one carries 2 spare
// bits. A signature with those bits set decodes to the same bytes, but it is
// not the signature we issued.
TEST(JwtProperties, ASignatureWrittenWithOtherSpareBitsIsRefused) {
  const auto s = settings();
  const std::string token = encode_jwt(kClaims, s);
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto last = alphabet.find(token.back());
  ASSERT_NE(last, std::string::npos);
  int same_bytes = 0;
  for (std::size_t spare = 1; spare < 4; ++spare) {
    std::string mutated = token;
    mutated.back() = alphabet[(last & ~std::size_t{3}) | spare];
    if (mutated == token) continue;
    ++same_bytes;
    EXPECT_FALSE(decode_jwt(mutated, s, 1500).ok) << mutated;
  }
  EXPECT_EQ(same_bytes, 3);
}

TEST(JwtProperties, EveryTruncationAndExtensionIsRefused) {
  const auto s = settings();
  const std::string token = encode_jwt(kClaims, s);
  for (std::size_t cut = 0; cut < token.size(); ++cut) {
    EXPECT_FALSE(decode_jwt(token.substr(0, cut), s, 1500).ok) << cut;
  }
  for (const std::string& tail : std::vector<std::string>{"A", "=", "==", ".", "\n", " ", std::string(1, '\0')}) {
    EXPECT_FALSE(decode_jwt(token + tail, s, 1500).ok) << "with a trailing " << tail;
    EXPECT_FALSE(decode_jwt(tail + token, s, 1500).ok) << "with a leading " << tail;
  }
}

TEST(JwtProperties, RandomTextNeverThrows) {
  const auto s = settings();
  std::mt19937 rng(5);
  static const std::string alphabet = "..eyJhbGciOiJIUzI1NiJ9-_=+/abcXYZ019\xff";
  std::uniform_int_distribution<std::size_t> length(0, 200), pick(0, alphabet.size() - 1);
  for (int round = 0; round < 5000; ++round) {
    std::string t;
    const std::size_t n = length(rng);
    for (std::size_t i = 0; i < n; ++i) t.push_back(alphabet[pick(rng)]);
    JwtResult r;
    EXPECT_NO_THROW(r = decode_jwt(t, s, 1500)) << t;
    EXPECT_FALSE(r.ok) << t;
  }
}

}  // namespace
}  // namespace herald::auth
