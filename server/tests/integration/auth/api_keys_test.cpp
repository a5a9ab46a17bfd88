// API keys are for integrations: only a signed-in session manages keys, user
// managers see and revoke anyone's, deactivation revokes them for good, and a
// key cannot "sign out".
#include "integration/auth/auth_fixture.hpp"

namespace herald::test {
namespace {

using ApiKeys = AuthTest;

std::string id_of(const nlohmann::json& j) { return std::to_string(j["id"].get<std::int64_t>()); }

struct Key {
  std::string id;
  std::string secret;
};

Key make_key(ApiClient& owner, const std::string& name) {
  auto r = owner.post("/api/auth/api-keys", {{"name", name}});
  EXPECT_EQ(r.status, 201) << r.body;
  if (r.status != 201) return {};
  return {id_of(r.json()), r.json()["key"]};
}

TEST_P(ApiKeys, AKeyCannotListCreateOrRevokeKeys) {
  auto& s = server();
  auto manager = s.as("manager");
  auto first = make_key(manager, "first");
  auto second = make_key(manager, "second");
  ApiClient with_key(s.port(), first.secret);
  ASSERT_EQ(with_key.get("/api/auth/me").status, 200);

  expect_problem(with_key.get("/api/auth/api-keys"), 403);
  expect_problem(with_key.post("/api/auth/api-keys", {{"name", "minted by a key"}}), 403);
  expect_problem(with_key.del("/api/auth/api-keys/" + second.id), 403);
  expect_problem(with_key.del("/api/auth/api-keys/" + first.id), 403);
  // An admin's key holding user:manage is still a key.
  auto admin_key = make_key(s.admin(), "admin key");
  ApiClient admin_with_key(s.port(), admin_key.secret);
  auto manager_id = id_of(manager.get("/api/auth/me").json());
  expect_problem(admin_with_key.get("/api/admin/users/" + manager_id + "/api-keys"), 403);
  expect_problem(admin_with_key.del("/api/admin/users/" + manager_id + "/api-keys/" + second.id), 403);

  // Nothing changed: both keys still work and the session still lists two.
  auto listed = manager.get("/api/auth/api-keys");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json()["items"].size(), 2u);
  auto items = listed.json()["items"];
  for (auto& k : items) EXPECT_TRUE(k["revoked_at"].is_null());
  EXPECT_EQ(ApiClient(s.port(), second.secret).get("/api/auth/me").status, 200);
}

TEST_P(ApiKeys, UserManagersListAndRevokeAnyUsersKeys) {
  auto& s = server();
  auto member = s.as("member");
  auto member_id = id_of(member.get("/api/auth/me").json());
  auto k1 = make_key(member, "crm");
  auto k2 = make_key(member, "backup");

  auto listed = s.admin().get("/api/admin/users/" + member_id + "/api-keys");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json()["items"].size(), 2u);
  EXPECT_EQ(listed.json()["items"][0]["name"], "crm");
  EXPECT_FALSE(listed.json()["items"][0].contains("key"));  // the secret is never shown again

  EXPECT_EQ(s.admin().del("/api/admin/users/" + member_id + "/api-keys/" + k1.id).status, 204);
  EXPECT_EQ(ApiClient(s.port(), k1.secret).get("/api/auth/me").status, 401);
  EXPECT_EQ(ApiClient(s.port(), k2.secret).get("/api/auth/me").status, 200);
  // Already revoked, someone else's key id, unknown user: 404.
  expect_problem(s.admin().del("/api/admin/users/" + member_id + "/api-keys/" + k1.id), 404);
  auto admin_id = id_of(s.admin().get("/api/auth/me").json());
  expect_problem(s.admin().del("/api/admin/users/" + admin_id + "/api-keys/" + k2.id), 404);
  expect_problem(s.admin().get("/api/admin/users/999999/api-keys"), 404);
  EXPECT_EQ(ApiClient(s.port(), k2.secret).get("/api/auth/me").status, 200);

  // The revocation is audited against the key (and so is the second, refused, attempt).
  auto audit = s.admin().get("/api/admin/audit-logs?action=API_KEY_REVOKED&resource=api_key/" + k1.id).json();
  int succeeded = 0;
  for (auto& e : audit["items"]) succeeded += e["success"].get<bool>() ? 1 : 0;
  EXPECT_EQ(succeeded, 1) << audit.dump();

  // Without user:manage: 403; with user:manage but not the owner's permissions: 403 too.
  expect_problem(s.as("manager").get("/api/admin/users/" + member_id + "/api-keys"), 403);
  ASSERT_EQ(s.admin().post("/api/admin/roles", {{"name", "key-warden"}, {"permissions", {"user:manage"}}}).status, 201);
  s.create_user("warden@example.com", "key-warden");
  ApiClient warden(s.port(), login(s.port(), "warden@example.com", "password-123")["token"]);
  EXPECT_EQ(warden.get("/api/admin/users/" + member_id + "/api-keys").status, 200);
  expect_problem(warden.del("/api/admin/users/" + member_id + "/api-keys/" + k2.id), 403);
  EXPECT_EQ(ApiClient(s.port(), k2.secret).get("/api/auth/me").status, 200);
}

TEST_P(ApiKeys, ADeactivatedUsersKeysStayRevokedAfterReactivation) {
  auto& s = server();
  auto member = s.as("member");
  auto member_id = id_of(member.get("/api/auth/me").json());
  auto key = make_key(member, "nightly export");
  ApiClient with_key(s.port(), key.secret);
  ASSERT_EQ(with_key.get("/api/leads").status, 200);

  ASSERT_EQ(s.admin().patch("/api/admin/users/" + member_id, {{"active", false}}).status, 200);
  EXPECT_EQ(with_key.get("/api/leads").status, 401);
  ASSERT_EQ(s.admin().patch("/api/admin/users/" + member_id, {{"active", true}}).status, 200);
  EXPECT_EQ(with_key.get("/api/leads").status, 401);
  auto keys = s.admin().get("/api/admin/users/" + member_id + "/api-keys").json()["items"];
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_FALSE(keys[0]["revoked_at"].is_null());
  // The user signs in again and makes a new key, which works.
  ApiClient again(s.port(), login(s.port(), "member@example.com", "password-123")["token"]);
  auto fresh = make_key(again, "new export");
  EXPECT_EQ(ApiClient(s.port(), fresh.secret).get("/api/leads").status, 200);
}

TEST_P(ApiKeys, LoggingOutWithAKeyNamesTheRevokeEndpoint) {
  auto& s = server();
  auto manager = s.as("manager");
  auto key = make_key(manager, "ci");
  ApiClient with_key(s.port(), key.secret);
  auto r = with_key.post("/api/auth/logout", nlohmann::json::object());
  expect_problem(r, 400);
  EXPECT_NE(r.json()["detail"].get<std::string>().find("DELETE /api/auth/api-keys/" + key.id), std::string::npos)
      << r.body;
  EXPECT_EQ(with_key.get("/api/auth/me").status, 200);  // nothing was ended
  EXPECT_EQ(manager.get("/api/auth/me").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiKeys, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
