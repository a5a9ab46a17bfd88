#include "auth/jwt.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "integration/auth/auth_fixture.hpp"

namespace herald::test {
namespace {

using Login = AuthTest;

TEST_P(Login, SucceedsWithTokensUserAndPermissions) {
  auto& s = server();
  HttpClient c(s.port());
  auto r = c.post_json("/api/auth/login", {{"email", "ADMIN@example.com"}, {"password", kAdminPassword}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = r.json();
  EXPECT_EQ(body["expires_in"], 900);
  EXPECT_FALSE(body["token"].get<std::string>().empty());
  EXPECT_FALSE(body["refresh_token"].get<std::string>().empty());
  EXPECT_EQ(body["user"]["email"], "admin@example.com");
  EXPECT_EQ(body["user"]["role"], "admin");
  EXPECT_FALSE(body["user"].contains("password_hash"));
  EXPECT_FALSE(body["user"].contains("password"));
  EXPECT_NE(std::find(body["permissions"].begin(), body["permissions"].end(), "user:manage"),
            body["permissions"].end());
  EXPECT_EQ(r.header("Cache-Control"), "no-store");

  ApiClient me(s.port(), body["token"]);
  auto m = me.get("/api/auth/me");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.json()["email"], "admin@example.com");
  EXPECT_FALSE(m.json()["last_login_at"].is_null());
}

TEST_P(Login, UnknownEmailAndWrongPasswordLookTheSame) {
  auto& s = server();
  HttpClient c(s.port());
  auto wrong = c.post_json("/api/auth/login", {{"email", "admin@example.com"}, {"password", "wrong-password"}});
  auto unknown = c.post_json("/api/auth/login", {{"email", "nobody@example.com"}, {"password", "wrong-password"}});
  expect_problem(wrong, 401);
  expect_problem(unknown, 401);
  EXPECT_EQ(wrong.json()["detail"], unknown.json()["detail"]);
  EXPECT_EQ(wrong.json()["title"], unknown.json()["title"]);
}

TEST_P(Login, BadInputNamesTheField) {
  auto& s = server();
  HttpClient c(s.port());
  auto missing = c.post_json("/api/auth/login", {{"password", "x"}});
  expect_problem(missing, 422);
  EXPECT_EQ(missing.json()["errors"][0]["field"], "email");
  auto typed = c.post_json("/api/auth/login", {{"email", 5}, {"password", "x"}});
  expect_problem(typed, 422);
  auto garbage = c.request("POST", "/api/auth/login", "{nope", {{"Content-Type", "application/json"}});
  expect_problem(garbage, 400);
}

TEST_P(Login, TooManyAttemptsPerIpAndEmailAre429) {
  auto& s = server([](Config& c) { c.login_rate_limit = RateSpec{3, std::chrono::seconds(60)}; });
  HttpClient c(s.port());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(c.post_json("/api/auth/login", {{"email", "victim@example.com"}, {"password", "guess"}}).status, 401);
  }
  auto locked = c.post_json("/api/auth/login", {{"email", "victim@example.com"}, {"password", "guess"}});
  expect_problem(locked, 429);
  EXPECT_TRUE(locked.header("Retry-After").has_value());
  // Another email from the same address is a separate bucket.
  EXPECT_EQ(c.post_json("/api/auth/login", {{"email", "admin@example.com"}, {"password", kAdminPassword}}).status, 200);
}

// Tokens the server must refuse, each signed or shaped to isolate one check.
TEST_P(Login, ExpiredTamperedAlgNoneAndWrongAudienceTokensAre401) {
  auto& s = server();
  auto session = login(s.port(), std::string(kAdminEmail), std::string(kAdminPassword));
  std::string good = session["token"];
  auto now = unix_seconds(std::chrono::system_clock::now());
  auth::JwtSettings settings{std::string(kTestJwtSecret)};
  // Decode the good token's claims to reuse its session id.
  auto decoded = auth::decode_jwt(good, settings, now);
  ASSERT_TRUE(decoded.ok);
  auto claims = decoded.claims;

  auto expired_claims = claims;
  expired_claims.iat = now - 3600;
  expired_claims.exp = now - 60;
  std::string expired = auth::encode_jwt(expired_claims, settings);

  auth::JwtSettings other_aud = settings;
  other_aud.audience = "someone-else";
  std::string wrong_audience = auth::encode_jwt(claims, other_aud);
  auth::JwtSettings other_iss = settings;
  other_iss.issuer = "evil";
  std::string wrong_issuer = auth::encode_jwt(claims, other_iss);
  auth::JwtSettings other_key = settings;
  other_key.secret = "another-secret-another-secret-another";
  std::string wrong_key = auth::encode_jwt(claims, other_key);

  auto dot1 = good.find('.'), dot2 = good.rfind('.');
  std::string payload = good.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string alg_none = crypto::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".";
  std::string alg_hs512 =
      crypto::base64url_encode(R"({"alg":"HS512","typ":"JWT"})") + "." + payload + "." + good.substr(dot2 + 1);
  auto raw = *crypto::base64url_decode(payload);
  raw.replace(raw.find("\"admin\""), 7, "\"admon\"");
  std::string tampered = good.substr(0, dot1) + "." + crypto::base64url_encode(raw) + good.substr(dot2);

  for (const auto& [name, token] : std::vector<std::pair<std::string, std::string>>{{"expired", expired},
                                                                                    {"wrong audience", wrong_audience},
                                                                                    {"wrong issuer", wrong_issuer},
                                                                                    {"wrong key", wrong_key},
                                                                                    {"alg none", alg_none},
                                                                                    {"alg HS512", alg_hs512},
                                                                                    {"tampered", tampered},
                                                                                    {"garbage", "not.a.token"},
                                                                                    {"empty", ""}}) {
    ApiClient c(s.port(), token);
    auto r = c.get("/api/auth/me");
    EXPECT_EQ(r.status, 401) << name << ": " << r.body;
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer") << name;
  }
  HttpClient bare(s.port());
  EXPECT_EQ(bare.get("/api/auth/me").status, 401);
  EXPECT_EQ(bare.get("/api/auth/me", {{"Authorization", "Basic YWRtaW46YWRtaW4="}}).status, 401);
  EXPECT_EQ(ApiClient(s.port(), good).get("/api/auth/me").status, 200);
}

TEST_P(Login, RefreshRotatesAndReuseRevokesTheFamily) {
  auto& s = server();
  auto first = login(s.port(), std::string(kAdminEmail), std::string(kAdminPassword));
  HttpClient c(s.port());
  auto second = c.post_json("/api/auth/refresh", {{"refresh_token", first["refresh_token"]}});
  ASSERT_EQ(second.status, 200) << second.body;
  auto rotated = second.json();
  EXPECT_NE(rotated["refresh_token"], first["refresh_token"]);
  EXPECT_EQ(ApiClient(s.port(), rotated["token"]).get("/api/auth/me").status, 200);

  // The first refresh token again: a replay. The whole session dies, new tokens included.
  auto replay = c.post_json("/api/auth/refresh", {{"refresh_token", first["refresh_token"]}});
  expect_problem(replay, 401);
  EXPECT_EQ(c.post_json("/api/auth/refresh", {{"refresh_token", rotated["refresh_token"]}}).status, 401);
  EXPECT_EQ(ApiClient(s.port(), rotated["token"]).get("/api/auth/me").status, 401);
  EXPECT_EQ(ApiClient(s.port(), first["token"]).get("/api/auth/me").status, 401);
  // Other sessions of the same user are untouched.
  auto other = login(s.port(), std::string(kAdminEmail), std::string(kAdminPassword));
  EXPECT_EQ(ApiClient(s.port(), other["token"]).get("/api/auth/me").status, 200);
  expect_problem(c.post_json("/api/auth/refresh", {{"refresh_token", "made-up"}}), 401);
  expect_problem(c.post_json("/api/auth/refresh", nlohmann::json::object()), 422);
}

TEST_P(Login, LogoutEndsTheSession) {
  auto& s = server();
  auto session = login(s.port(), std::string(kAdminEmail), std::string(kAdminPassword));
  ApiClient c(s.port(), session["token"]);
  EXPECT_EQ(c.post("/api/auth/logout", {{"refresh_token", session["refresh_token"]}}).status, 204);
  EXPECT_EQ(c.get("/api/auth/me").status, 401);
  HttpClient h(s.port());
  EXPECT_EQ(h.post_json("/api/auth/refresh", {{"refresh_token", session["refresh_token"]}}).status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, Login, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
