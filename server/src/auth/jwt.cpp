#include "auth/jwt.hpp"

#include <nlohmann/json.hpp>

#include "core/crypto.hpp"

namespace herald::auth {
namespace {

// The only header we issue or accept.
const std::string kHeader = crypto::base64url_encode(R"({"alg":"HS256","typ":"JWT"})");

JwtResult fail(JwtError e) {
  JwtResult r;
  r.error = e;
  return r;
}

}  // namespace

std::string_view to_string(JwtError e) noexcept {
  switch (e) {
    case JwtError::Malformed:
      return "malformed token";
    case JwtError::Algorithm:
      return "unsupported token algorithm";
    case JwtError::Signature:
      return "bad token signature";
    case JwtError::Expired:
      return "token expired";
    case JwtError::NotYetValid:
      return "token issued in the future";
    case JwtError::Issuer:
      return "wrong token issuer";
    case JwtError::Audience:
      return "wrong token audience";
    case JwtError::Claims:
      return "token claims missing or invalid";
  }
  return "invalid token";
}

std::string encode_jwt(const AccessClaims& c, const JwtSettings& s) {
  nlohmann::json payload = {{"sub", std::to_string(c.sub)},
                            {"role", c.role},
                            {"sid", c.sid},
                            {"jti", c.jti},
                            {"iat", c.iat},
                            {"exp", c.exp},
                            {"iss", s.issuer},
                            {"aud", s.audience}};
  std::string signing_input = kHeader + "." + crypto::base64url_encode(payload.dump());
  return signing_input + "." + crypto::base64url_encode(crypto::hmac_sha256(s.secret, signing_input));
}

JwtResult decode_jwt(std::string_view token, const JwtSettings& s, std::int64_t now) {
  if (token.size() > 4096) return fail(JwtError::Malformed);
  auto d1 = token.find('.');
  auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return fail(JwtError::Malformed);

  auto header_json = crypto::base64url_decode(token.substr(0, d1));
  if (!header_json) return fail(JwtError::Malformed);
  try {
    auto header = nlohmann::json::parse(*header_json);
    if (!header.is_object() || !header.contains("alg") || header["alg"] != "HS256") return fail(JwtError::Algorithm);
  } catch (const nlohmann::json::exception&) {
    return fail(JwtError::Malformed);
  }

  // The signature is compared as text, in the one way we write it: base64url
  // has spare bits in its last character, so comparing decoded bytes would
  // accept a token whose signature was written differently.
  const auto expected = crypto::base64url_encode(crypto::hmac_sha256(s.secret, token.substr(0, d2)));
  if (!crypto::constant_time_equal(token.substr(d2 + 1), expected)) return fail(JwtError::Signature);

  auto payload_json = crypto::base64url_decode(token.substr(d1 + 1, d2 - d1 - 1));
  if (!payload_json) return fail(JwtError::Malformed);
  JwtResult r;
  try {
    auto p = nlohmann::json::parse(*payload_json);
    if (!p.is_object()) return fail(JwtError::Claims);
    for (const char* k : {"sub", "role", "sid", "jti", "iss", "aud"})
      if (!p.contains(k) || !p[k].is_string()) return fail(JwtError::Claims);
    for (const char* k : {"iat", "exp"})
      if (!p.contains(k) || !p[k].is_number_integer()) return fail(JwtError::Claims);
    if (p["iss"] != s.issuer) return fail(JwtError::Issuer);
    if (p["aud"] != s.audience) return fail(JwtError::Audience);
    r.claims.exp = p["exp"].get<std::int64_t>();
    r.claims.iat = p["iat"].get<std::int64_t>();
    if (r.claims.exp <= now) return fail(JwtError::Expired);
    if (r.claims.iat > now + s.leeway.count()) return fail(JwtError::NotYetValid);
    const auto& sub = p["sub"].get_ref<const std::string&>();
    std::size_t used = 0;
    r.claims.sub = std::stoll(sub, &used);
    if (used != sub.size() || r.claims.sub <= 0) return fail(JwtError::Claims);
    r.claims.role = p["role"].get<std::string>();
    r.claims.sid = p["sid"].get<std::string>();
    r.claims.jti = p["jti"].get<std::string>();
  } catch (const std::exception&) {
    return fail(JwtError::Claims);
  }
  r.ok = true;
  return r;
}

}  // namespace herald::auth
