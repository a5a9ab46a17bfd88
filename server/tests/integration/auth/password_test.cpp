// POST /api/auth/password: a signed-in user's own password change.
#include "integration/auth/auth_fixture.hpp"

namespace herald::test {
namespace {

using Password = AuthTest;

const nlohmann::json* last_action(const nlohmann::json& items, const std::string& action) {
  for (const auto& e : items) {  // newest first
    if (e["action"] == action) return &e;
  }
  return nullptr;
}

TEST_P(Password, ChangeSignsOutOtherSessionsAndTheOldPasswordStopsWorking) {
  auto& s = server();
  s.create_user("changer@example.com", "member", "old-password-1");
  auto here = login(s.port(), "changer@example.com", "old-password-1");
  auto elsewhere = login(s.port(), "changer@example.com", "old-password-1");
  ApiClient c(s.port(), here["token"]);

  auto r = c.post("/api/auth/password", {{"current_password", "old-password-1"}, {"password", "new-password-2"}});
  ASSERT_EQ(r.status, 204) << r.body;

  HttpClient anon(s.port());
  expect_problem(anon.post_json("/api/auth/login", {{"email", "changer@example.com"}, {"password", "old-password-1"}}),
                 401);
  EXPECT_EQ(
      anon.post_json("/api/auth/login", {{"email", "changer@example.com"}, {"password", "new-password-2"}}).status,
      200);
  // The other session is over: its access token and its refresh token are refused.
  EXPECT_EQ(ApiClient(s.port(), elsewhere["token"]).get("/api/auth/me").status, 401);
  expect_problem(anon.post_json("/api/auth/refresh", {{"refresh_token", elsewhere["refresh_token"]}}), 401);
  // This one stays signed in and can still refresh.
  EXPECT_EQ(c.get("/api/auth/me").status, 200);
  EXPECT_EQ(anon.post_json("/api/auth/refresh", {{"refresh_token", here["refresh_token"]}}).status, 200);

  auto items = s.admin().get("/api/admin/audit-logs?limit=200").json()["items"];
  auto* changed = last_action(items, "PASSWORD_CHANGED");
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ((*changed)["success"], true);
  EXPECT_EQ((*changed)["actor"], "changer@example.com");
  EXPECT_EQ((*changed)["resource"], "user/" + std::to_string(here["user"]["id"].get<std::int64_t>()));
}

TEST_P(Password, WrongCurrentPasswordIs422NamingItAndAudited) {
  auto& s = server();
  s.create_user("wrong@example.com", "viewer", "old-password-1");
  auto session = login(s.port(), "wrong@example.com", "old-password-1");
  ApiClient c(s.port(), session["token"]);
  auto r = c.post("/api/auth/password", {{"current_password", "not-it-at-all"}, {"password", "new-password-2"}});
  expect_problem(r, 422);
  EXPECT_EQ(r.json()["errors"][0]["field"], "current_password");
  // Nothing changed: the old password works, the new one does not.
  HttpClient anon(s.port());
  EXPECT_EQ(anon.post_json("/api/auth/login", {{"email", "wrong@example.com"}, {"password", "old-password-1"}}).status,
            200);
  EXPECT_EQ(anon.post_json("/api/auth/login", {{"email", "wrong@example.com"}, {"password", "new-password-2"}}).status,
            401);
  EXPECT_EQ(c.get("/api/auth/me").status, 200);

  auto items = s.admin().get("/api/admin/audit-logs?limit=200").json()["items"];
  auto* failed = last_action(items, "PASSWORD_CHANGED");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ((*failed)["success"], false);
  EXPECT_EQ((*failed)["actor"], "wrong@example.com");
}

TEST_P(Password, BadNewPasswordsAndBodiesNameTheField) {
  auto& s = server();
  auto& admin = s.admin();
  auto field_of = [](const HttpResponse& r) { return r.json()["errors"][0]["field"].get<std::string>(); };

  auto weak = admin.post("/api/auth/password", {{"current_password", kAdminPassword}, {"password", "short"}});
  expect_problem(weak, 422);
  EXPECT_EQ(field_of(weak), "password");
  auto huge =
      admin.post("/api/auth/password", {{"current_password", kAdminPassword}, {"password", std::string(1025, 'x')}});
  expect_problem(huge, 422);
  EXPECT_EQ(field_of(huge), "password");
  auto same = admin.post("/api/auth/password", {{"current_password", kAdminPassword}, {"password", kAdminPassword}});
  expect_problem(same, 422);
  EXPECT_EQ(field_of(same), "password");
  auto missing = admin.post("/api/auth/password", {{"password", "new-password-2"}});
  expect_problem(missing, 422);
  EXPECT_EQ(field_of(missing), "current_password");
  auto typed = admin.post("/api/auth/password", {{"current_password", kAdminPassword}, {"password", 12345678}});
  expect_problem(typed, 422);
  EXPECT_EQ(field_of(typed), "password");
  auto extra =
      admin.post("/api/auth/password",
                 {{"current_password", kAdminPassword}, {"password", "new-password-2"}, {"email", "x@example.com"}});
  expect_problem(extra, 422);
  EXPECT_EQ(field_of(extra), "email");
  expect_problem(HttpClient(s.port()).request(
                     "POST", "/api/auth/password", "{nope",
                     {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin.token()}}),
                 400);
  // None of these changed anything.
  EXPECT_EQ(HttpClient(s.port())
                .post_json("/api/auth/login", {{"email", std::string(kAdminEmail)}, {"password", kAdminPassword}})
                .status,
            200);
}

TEST_P(Password, AnonymousIs401AndApiKeysAreRefused) {
  auto& s = server();
  HttpClient anon(s.port());
  expect_problem(
      anon.post_json("/api/auth/password", {{"current_password", kAdminPassword}, {"password", "new-password-2"}}),
      401);
  auto key = s.admin().post("/api/auth/api-keys", {{"name", "ci"}});
  ASSERT_EQ(key.status, 201) << key.body;
  ApiClient by_key(s.port(), key.json()["key"]);
  auto r = by_key.post("/api/auth/password", {{"current_password", kAdminPassword}, {"password", "new-password-2"}});
  expect_problem(r, 403);
  EXPECT_NE(r.json()["detail"].get<std::string>().find("API key"), std::string::npos);
  EXPECT_EQ(
      anon.post_json("/api/auth/login", {{"email", std::string(kAdminEmail)}, {"password", kAdminPassword}}).status,
      200);
}

TEST_P(Password, WrongGuessesShareTheLoginLimit) {
  auto& s = server([](Config& c) { c.login_rate_limit = RateSpec{3, std::chrono::seconds(60)}; });
  s.create_user("guessed@example.com", "viewer", "old-password-1");
  auto session = login(s.port(), "guessed@example.com", "old-password-1");  // one of the three
  ApiClient c(s.port(), session["token"]);
  for (int i = 0; i < 2; ++i)
    expect_problem(c.post("/api/auth/password",
                          {{"current_password", "guess-" + std::to_string(i)}, {"password", "new-password-2"}}),
                   422);
  auto locked = c.post("/api/auth/password", {{"current_password", "old-password-1"}, {"password", "new-password-2"}});
  expect_problem(locked, 429);
  EXPECT_TRUE(locked.header("Retry-After").has_value());
  // The right password was not taken while locked.
  expect_problem(HttpClient(s.port()).post_json("/api/auth/login",
                                                {{"email", "guessed@example.com"}, {"password", "old-password-1"}}),
                 429);
}

INSTANTIATE_TEST_SUITE_P(Backends, Password, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
