// A token that differs from a valid one in any byte is never accepted, and
// no input makes the decoder throw.
#include <gtest/gtest.h>

#include <random>

#include "auth/jwt.hpp"

namespace herald::auth {
namespace {

TEST(JwtProperties, NoMutationOfAValidTokenIsAccepted) {
  JwtSettings settings;
  settings.secret = std::string(32, 'k');
  AccessClaims claims{.sub = 7, .role = "admin", .sid = "s1", .jti = "j1", .iat = 1000, .exp = 2000};
  const std::string token = encode_jwt(claims, settings);
  ASSERT_TRUE(decode_jwt(token, settings, 1500).ok);

  std::mt19937 rng(99);
  std::uniform_int_distribution<int> byte(0, 255);
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (int k = 0; k < 8; ++k) {
      std::string mutated = token;
      mutated[i] = static_cast<char>(byte(rng));
      if (mutated == token) continue;
      JwtResult r;
      EXPECT_NO_THROW(r = decode_jwt(mutated, settings, 1500));
      // base64url has spare bits in the last character of each part: a change
      // there may decode to the same bytes, and then the token is the same token.
      if (r.ok) {
        EXPECT_EQ(r.claims.sub, 7) << mutated;
        EXPECT_EQ(r.claims.jti, "j1") << mutated;
      }
    }
  }
  for (std::size_t cut = 0; cut < token.size(); ++cut) {
    EXPECT_FALSE(decode_jwt(token.substr(0, cut), settings, 1500).ok) << cut;
  }
}

TEST(JwtProperties, RandomTextNeverThrows) {
  JwtSettings settings;
  settings.secret = std::string(32, 'k');
  std::mt19937 rng(5);
  static const std::string alphabet = "..eyJhbGciOiJIUzI1NiJ9-_=+/abcXYZ019\xff";
  std::uniform_int_distribution<std::size_t> length(0, 200), pick(0, alphabet.size() - 1);
  for (int round = 0; round < 5000; ++round) {
    std::string t;
    const std::size_t n = length(rng);
    for (std::size_t i = 0; i < n; ++i) t.push_back(alphabet[pick(rng)]);
    JwtResult r;
    EXPECT_NO_THROW(r = decode_jwt(t, settings, 1500)) << t;
    EXPECT_FALSE(r.ok) << t;
  }
}

}  // namespace
}  // namespace herald::auth
