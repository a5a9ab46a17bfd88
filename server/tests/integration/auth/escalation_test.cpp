// Nobody grants what they do not hold: custom roles holding user:manage,
// role:manage or both try every path to more power than they have, and each
// refusal is a 403 with a PERMISSION_DENIED audit entry.
#include <set>

#include "integration/auth/auth_fixture.hpp"

namespace herald::test {
namespace {

using Escalation = AuthTest;

std::string id_of(const nlohmann::json& j) { return std::to_string(j["id"].get<std::int64_t>()); }

// Creates a custom role as the admin and returns its id.
std::string make_role(AuthedServer& s, const std::string& name, const std::vector<std::string>& perms) {
  auto r = s.admin().post("/api/admin/roles", {{"name", name}, {"permissions", perms}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? id_of(r.json()) : "0";
}

// A user with `role`, signed in.
struct Actor {
  nlohmann::json user;
  ApiClient client;
};
Actor make_actor(AuthedServer& s, const std::string& email, const std::string& role) {
  auto user = s.create_user(email, role);
  return {user, ApiClient(s.port(), login(s.port(), email, "password-123")["token"])};
}

nlohmann::json role_named(AuthedServer& s, const std::string& name) {
  auto roles = s.admin().get("/api/admin/roles").json();
  for (auto& r : roles["items"]) {
    if (r["name"] == name) return r;
  }
  return nullptr;
}

std::int64_t user_count(AuthedServer& s) { return s.admin().get("/api/admin/users").json()["total"]; }

void expect_denied(const HttpResponse& r, const std::string& what) {
  EXPECT_EQ(r.status, 403) << what << ": " << r.body;
  if (r.status == 403) {
    EXPECT_NE(r.json()["detail"].get<std::string>().find("do not hold"), std::string::npos) << what << ": " << r.body;
  }
}

// PERMISSION_DENIED entries written for `user`'s attempts to grant what they do not hold.
std::size_t denials_of(AuthedServer& s, const nlohmann::json& user) {
  auto r = s.admin().get("/api/admin/audit-logs?limit=200&action=PERMISSION_DENIED&user_id=" + id_of(user));
  EXPECT_EQ(r.status, 200) << r.body;
  std::size_t n = 0;
  auto entries = r.json();
  for (auto& e : entries["items"]) {
    EXPECT_EQ(e["success"], false);
    if (e["error"].get<std::string>().find("do not hold") != std::string::npos) ++n;
  }
  return n;
}

TEST_P(Escalation, UserManageAloneCannotReachBeyondItsOwnPermissions) {
  auto& s = server();
  make_role(s, "user-admin", {"user:manage", "lead:read"});
  make_role(s, "reader", {"lead:read"});
  auto um = make_actor(s, "um@example.com", "user-admin");
  auto& c = um.client;
  auto admin_user = s.admin().get("/api/auth/me").json();
  auto member = s.create_user("member-target@example.com", "member");
  auto reader = s.create_user("reader-target@example.com", "reader");
  const auto users_before = user_count(s);

  // Its own account: no role it does not fully hold.
  expect_denied(c.patch("/api/admin/users/" + id_of(um.user), {{"role", "admin"}}), "self to admin");
  expect_denied(c.patch("/api/admin/users/" + id_of(um.user), {{"role", "manager"}}), "self to manager");
  EXPECT_EQ(s.admin().get("/api/admin/users/" + id_of(um.user)).json()["role"], "user-admin");
  // New users: only with a role it holds entirely.
  for (const std::string role : {"admin", "manager", "member", "viewer"}) {
    expect_denied(c.post("/api/admin/users",
                         {{"email", "new-" + role + "@example.com"}, {"role", role}, {"password", "long-enough-1"}}),
                  "create " + role);
  }
  EXPECT_EQ(user_count(s), users_before);
  // Users holding more than it does: no password, active flag, role, name or deletion.
  for (const auto& target : {admin_user, member}) {
    std::string path = "/api/admin/users/" + id_of(target);
    expect_denied(c.patch(path, {{"password", "taken-over-1"}}), "password of " + path);
    expect_denied(c.patch(path, {{"active", false}}), "deactivate " + path);
    expect_denied(c.patch(path, {{"role", "reader"}}), "demote " + path);
    expect_denied(c.patch(path, {{"name", "Renamed"}}), "rename " + path);
    expect_denied(c.del(path), "delete " + path);
  }
  login(s.port(), std::string(kAdminEmail), std::string(kAdminPassword));  // the admin's password still works
  EXPECT_EQ(s.admin().get("/api/admin/users/" + id_of(member)).json()["active"], true);

  // What it does hold it may hand out and manage.
  auto created = c.post("/api/admin/users",
                        {{"email", "new-reader@example.com"}, {"role", "reader"}, {"password", "long-enough-1"}});
  EXPECT_EQ(created.status, 201) << created.body;
  std::string reader_path = "/api/admin/users/" + id_of(reader);
  EXPECT_EQ(c.patch(reader_path, {{"password", "new-password-1"}, {"name", "R"}}).status, 200);
  EXPECT_EQ(c.patch(reader_path, {{"active", false}}).status, 200);
  EXPECT_EQ(c.patch(reader_path, {{"role", "user-admin"}}).status, 200);
  EXPECT_EQ(c.del(reader_path).status, 204);

  // 2 on itself + 4 creations + 2 targets × 5 actions.
  EXPECT_EQ(denials_of(s, um.user), 16u);
}

TEST_P(Escalation, RoleManageAloneCannotWidenAnyRole) {
  auto& s = server();
  auto own_id = make_role(s, "role-admin", {"role:manage", "lead:read"});
  auto wide_id = make_role(s, "wide", {"lead:read", "lead:write", "audit:read"});
  auto narrow_id = make_role(s, "narrow", {"lead:read"});
  auto rm = make_actor(s, "rm@example.com", "role-admin");
  auto& c = rm.client;
  std::vector<std::string> all;
  auto roles = s.admin().get("/api/admin/roles").json();
  for (auto& p : roles["items"][0]["permissions"]) all.push_back(p);
  ASSERT_GT(all.size(), 10u);  // the admin role: everything

  // Its own role: nothing added.
  expect_denied(c.patch("/api/admin/roles/" + own_id, {{"permissions", all}}), "own role to everything");
  expect_denied(c.patch("/api/admin/roles/" + own_id, {{"permissions", {"role:manage", "lead:read", "user:manage"}}}),
                "own role plus user:manage");
  EXPECT_EQ(role_named(s, "role-admin")["permissions"], nlohmann::json({"lead:read", "role:manage"}));
  // New roles: only from what it holds.
  expect_denied(c.post("/api/admin/roles", {{"name", "root"}, {"permissions", all}}), "role with everything");
  expect_denied(c.post("/api/admin/roles", {{"name", "users"}, {"permissions", {"user:manage"}}}), "user:manage role");
  EXPECT_TRUE(role_named(s, "root").is_null());
  EXPECT_TRUE(role_named(s, "users").is_null());
  // A role holding more than it does cannot be changed at all, not even narrowed.
  expect_denied(c.patch("/api/admin/roles/" + wide_id, {{"permissions", {"lead:read"}}}), "narrow a wider role");
  expect_denied(c.patch("/api/admin/roles/" + wide_id, {{"description", "mine now"}}), "describe a wider role");
  // A role within its own permissions: described, but not widened.
  EXPECT_EQ(c.patch("/api/admin/roles/" + narrow_id, {{"description", "read leads"}}).status, 200);
  expect_denied(c.patch("/api/admin/roles/" + narrow_id, {{"permissions", {"lead:read", "lead:export"}}}),
                "widen a narrow role");
  auto made = c.post("/api/admin/roles", {{"name", "helpers"}, {"permissions", {"role:manage", "lead:read"}}});
  EXPECT_EQ(made.status, 201) << made.body;
  // And users stay out of reach: that takes user:manage.
  EXPECT_EQ(c.patch("/api/admin/users/" + id_of(rm.user), {{"role", "admin"}}).status, 403);

  EXPECT_EQ(denials_of(s, rm.user), 7u);
}

TEST_P(Escalation, UserAndRoleManageTogetherStillGrantOnlyWhatTheyHold) {
  auto& s = server();
  auto own_id = make_role(s, "both-admin", {"user:manage", "role:manage", "lead:read"});
  auto bm = make_actor(s, "bm@example.com", "both-admin");
  auto& c = bm.client;
  auto admin_user = s.admin().get("/api/auth/me").json();

  // The two-step route: a new role with more, then assign it.
  expect_denied(c.post("/api/admin/roles", {{"name", "stepping-stone"},
                                            {"permissions", {"user:manage", "role:manage", "settings:manage"}}}),
                "role with settings:manage");
  expect_denied(c.patch("/api/admin/roles/" + own_id, {{"permissions", {"user:manage", "role:manage", "audit:read"}}}),
                "own role plus audit:read");
  expect_denied(c.patch("/api/admin/users/" + id_of(bm.user), {{"role", "admin"}}), "self to admin");
  expect_denied(c.post("/api/admin/users",
                       {{"email", "accomplice@example.com"}, {"role", "admin"}, {"password", "long-enough-1"}}),
                "create an admin");
  expect_denied(c.patch("/api/admin/users/" + id_of(admin_user), {{"password", "taken-over-1"}}), "admin's password");
  expect_denied(c.del("/api/admin/users/" + id_of(admin_user)), "delete the admin");

  // Within what it holds, both work: a copy of its own role, given to a new user.
  auto copy = c.post("/api/admin/roles", {{"name", "deputy"}, {"permissions", {"user:manage", "lead:read"}}});
  ASSERT_EQ(copy.status, 201) << copy.body;
  auto deputy =
      c.post("/api/admin/users", {{"email", "deputy@example.com"}, {"role", "deputy"}, {"password", "long-enough-1"}});
  EXPECT_EQ(deputy.status, 201) << deputy.body;
  EXPECT_EQ(denials_of(s, bm.user), 6u);

  // The admin, holding everything, may still do all of it.
  EXPECT_EQ(s.admin().patch("/api/admin/users/" + id_of(bm.user), {{"role", "admin"}}).status, 200);
}

TEST_P(Escalation, AnApiKeyGrantsNoMoreThanTheKeyHolds) {
  auto& s = server();
  auto key = s.admin().post("/api/auth/api-keys", {{"name", "user sync"}, {"permissions", {"user:manage"}}});
  ASSERT_EQ(key.status, 201) << key.body;
  ApiClient with_key(s.port(), key.json()["key"]);
  auto viewer = s.create_user("key-target@example.com", "viewer");
  // The admin behind the key holds everything; the key holds user:manage only.
  expect_denied(with_key.patch("/api/admin/users/" + id_of(viewer), {{"role", "admin"}}), "key assigns admin");
  expect_denied(with_key.post("/api/admin/users",
                              {{"email", "via-key@example.com"}, {"role", "viewer"}, {"password", "long-enough-1"}}),
                "key creates a viewer");
  expect_denied(with_key.del("/api/admin/users/" + id_of(viewer)), "key deletes a viewer");
}

INSTANTIATE_TEST_SUITE_P(Backends, Escalation, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
