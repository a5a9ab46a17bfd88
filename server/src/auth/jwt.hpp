// HS256 JSON Web Tokens with every claim checked here: the algorithm is
// pinned (alg "none" or anything but HS256 is refused), the signature is
// compared in constant time, and exp, iat, iss, aud, sub and jti are required.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace herald::auth {

struct AccessClaims {
  std::int64_t sub = 0;  // user id
  std::string role;
  std::string sid;  // session (refresh-token family) id
  std::string jti;
  std::int64_t iat = 0;  // seconds since the epoch
  std::int64_t exp = 0;
};

struct JwtSettings {
  std::string secret;
  std::string issuer = "herald";
  std::string audience = "herald-api";
  std::chrono::seconds leeway{30};  // clock skew tolerated on iat
};

std::string encode_jwt(const AccessClaims& claims, const JwtSettings& settings);

enum class JwtError { Malformed, Algorithm, Signature, Expired, NotYetValid, Issuer, Audience, Claims };
std::string_view to_string(JwtError e) noexcept;

struct JwtResult {
  bool ok = false;
  JwtError error = JwtError::Malformed;
  AccessClaims claims;
};

// `now` in seconds since the epoch.
JwtResult decode_jwt(std::string_view token, const JwtSettings& settings, std::int64_t now);

}  // namespace herald::auth
