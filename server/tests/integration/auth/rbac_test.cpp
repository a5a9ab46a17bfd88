#include <set>

#include "auth/permissions.hpp"
#include "http/router.hpp"
#include "integration/auth/auth_fixture.hpp"

namespace herald::test {
namespace {

using Rbac = AuthTest;

// A concrete request for a route template: unknown ids, empty JSON bodies.
std::string concrete(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      out += "999999";
      i = path.find('}', i);
    } else {
      out += path[i];
    }
  }
  return out;
}

TEST_P(Rbac, EveryRouteForEveryBuiltinRole) {
  auto& s = server();
  const auto& roles = auth::builtin_roles();
  for (const auto& role : roles) {
    auto client = s.as(std::string(role.name));
    std::set<std::string> perms(role.permissions.begin(), role.permissions.end());
    for (const auto& route : s.server().app().router().routes()) {
      if (route->path == "/api/auth/logout") continue;  // would end the session; covered below
      std::string method(http::to_string(route->method));
      auto body = route->method == http::Method::Get || route->method == http::Method::Delete
                      ? nlohmann::json(nullptr)
                      : nlohmann::json::object();
      auto r = client.call(method, concrete(route->path), body);
      bool allowed = route->access.kind != http::Access::Kind::Permission || perms.count(route->access.permission);
      if (allowed) {
        EXPECT_NE(r.status, 403) << role.name << " " << method << " " << route->path << ": " << r.body;
        EXPECT_NE(r.status, 401) << role.name << " " << method << " " << route->path << ": " << r.body;
        EXPECT_LT(r.status, 500) << role.name << " " << method << " " << route->path << ": " << r.body;
      } else {
        EXPECT_EQ(r.status, 403) << role.name << " " << method << " " << route->path << ": " << r.body;
      }
    }
    EXPECT_EQ(client.post("/api/auth/logout", nlohmann::json::object()).status, 204) << role.name;
  }
}

TEST_P(Rbac, RouteTableDeclaresAccessAndAuditForEveryRoute) {
  auto& s = server();
  const std::set<std::string> public_ok = {"/api/auth/login",  "/api/auth/refresh", "/api/health",
                                           "/api/health/live", "/api/health/ready", "/api/openapi.json"};
  for (const auto& route : s.server().app().router().routes()) {
    if (route->path.starts_with("/api/") && route->access.kind == http::Access::Kind::Public) {
      EXPECT_TRUE(public_ok.count(route->path)) << "unprotected API route " << route->path;
    }
    if (route->access.kind == http::Access::Kind::Permission) {
      EXPECT_TRUE(auth::is_permission(route->access.permission)) << route->path;
    }
    bool changes = route->method != http::Method::Get && route->method != http::Method::Head;
    if (changes) {
      EXPECT_FALSE(route->audit_action.empty()) << "no audit action on " << route->path;
    }
  }
}

TEST_P(Rbac, UserAdministration) {
  auto& s = server();
  auto& admin = s.admin();
  auto created = admin.post(
      "/api/admin/users",
      {{"email", "New.Person@Example.com"}, {"name", "New Person"}, {"role", "member"}, {"password", "long-enough-1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto user = created.json();
  EXPECT_EQ(user["email"], "new.person@example.com");
  EXPECT_FALSE(user.contains("password_hash"));
  std::string id = std::to_string(user["id"].get<std::int64_t>());

  expect_problem(admin.post("/api/admin/users", {{"email", "NEW.PERSON@example.com"}, {"password", "long-enough-1"}}),
                 409);
  auto invalid = admin.post("/api/admin/users", {{"email", "not-an-email"}, {"password", "short"}, {"role", "x"}});
  expect_problem(invalid, 422);
  std::set<std::string> fields;
  auto problem = invalid.json();
  for (auto& e : problem["errors"]) fields.insert(e["field"]);
  EXPECT_TRUE(fields.count("email") && fields.count("password"));
  expect_problem(admin.post("/api/admin/users",
                            {{"email", "x@example.com"}, {"password", "long-enough-1"}, {"role", "no-such-role"}}),
                 422);

  auto list = admin.get("/api/admin/users?q=new.person&page=1&page_size=10");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["total"], 1);
  EXPECT_EQ(list.json()["items"][0]["email"], "new.person@example.com");
  EXPECT_EQ(admin.get("/api/admin/users?page_size=500").status, 422);
  EXPECT_EQ(admin.get("/api/admin/users?page=0").status, 422);

  auto patched = admin.patch("/api/admin/users/" + id, {{"name", "Renamed"}, {"role", "viewer"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["role"], "viewer");
  expect_problem(admin.patch("/api/admin/users/" + id, {{"email", "other@example.com"}}), 422);
  expect_problem(admin.patch("/api/admin/users/" + id, {{"active", "yes"}}), 422);
  expect_problem(admin.patch("/api/admin/users/999999", {{"name", "x"}}), 404);
  expect_problem(admin.get("/api/admin/users/abc"), 404);

  EXPECT_EQ(admin.del("/api/admin/users/" + id).status, 204);
  EXPECT_EQ(admin.get("/api/admin/users/" + id).status, 404);
}

TEST_P(Rbac, DeactivationKillsTokensAtOnce) {
  auto& s = server();
  auto member = s.as("member");
  ASSERT_EQ(member.get("/api/auth/me").status, 200);
  auto id = member.get("/api/auth/me").json()["id"].get<std::int64_t>();
  ASSERT_EQ(s.admin().patch("/api/admin/users/" + std::to_string(id), {{"active", false}}).status, 200);
  EXPECT_EQ(member.get("/api/auth/me").status, 401);
  HttpClient c(s.port());
  EXPECT_EQ(c.post_json("/api/auth/login", {{"email", "member@example.com"}, {"password", "password-123"}}).status,
            401);
}

TEST_P(Rbac, TheLastAdminCannotBeRemoved) {
  auto& s = server();
  auto& admin = s.admin();
  auto me = admin.get("/api/auth/me").json();
  std::string id = std::to_string(me["id"].get<std::int64_t>());
  expect_problem(admin.patch("/api/admin/users/" + id, {{"role", "manager"}}), 409);
  expect_problem(admin.patch("/api/admin/users/" + id, {{"active", false}}), 409);
  expect_problem(admin.del("/api/admin/users/" + id), 409);

  // With a second admin, the first may step down; the second then cannot.
  auto second = s.create_user("second-admin@example.com", "admin");
  EXPECT_EQ(admin.patch("/api/admin/users/" + id, {{"role", "manager"}}).status, 200);
  ApiClient other(s.port(), login(s.port(), "second-admin@example.com", "password-123")["token"]);
  expect_problem(other.del("/api/admin/users/" + std::to_string(second["id"].get<std::int64_t>())), 409);
}

TEST_P(Rbac, CustomRoles) {
  auto& s = server();
  auto& admin = s.admin();
  auto created = admin.post(
      "/api/admin/roles",
      {{"name", "auditor"}, {"description", "reads the audit log"}, {"permissions", {"audit:read", "system:read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = std::to_string(created.json()["id"].get<std::int64_t>());
  expect_problem(admin.post("/api/admin/roles", {{"name", "auditor"}, {"permissions", nlohmann::json::array()}}), 409);
  expect_problem(admin.post("/api/admin/roles", {{"name", "x"}, {"permissions", {"nuke:all"}}}), 422);
  expect_problem(admin.post("/api/admin/roles", {{"name", "Bad Name!"}, {"permissions", nlohmann::json::array()}}),
                 422);

  s.create_user("auditor@example.com", "auditor");
  ApiClient auditor(s.port(), login(s.port(), "auditor@example.com", "password-123")["token"]);
  EXPECT_EQ(auditor.get("/api/admin/audit-logs").status, 200);
  EXPECT_EQ(auditor.get("/api/admin/users").status, 403);

  // Changing the role's permissions applies to the next request.
  ASSERT_EQ(admin.patch("/api/admin/roles/" + id, {{"permissions", {"user:manage"}}}).status, 200);
  EXPECT_EQ(auditor.get("/api/admin/audit-logs").status, 403);
  EXPECT_EQ(auditor.get("/api/admin/users").status, 200);

  expect_problem(admin.del("/api/admin/roles/" + id), 409);  // in use
  auto roles = admin.get("/api/admin/roles").json()["items"];
  for (auto& r : roles) {
    if (r["builtin"].get<bool>()) {
      std::string rid = std::to_string(r["id"].get<std::int64_t>());
      expect_problem(admin.del("/api/admin/roles/" + rid), 409);
      expect_problem(admin.patch("/api/admin/roles/" + rid, {{"permissions", nlohmann::json::array()}}), 409);
    }
  }
}

TEST_P(Rbac, ApiKeysCarryASubsetOfTheirOwnersPermissions) {
  auto& s = server();
  auto manager = s.as("manager");
  auto created = manager.post("/api/auth/api-keys", {{"name", "crm sync"}, {"permissions", {"system:read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string key = created.json()["key"];
  EXPECT_TRUE(key.starts_with("hk_"));
  std::string key_id = std::to_string(created.json()["id"].get<std::int64_t>());

  ApiClient with_key(s.port(), key);
  EXPECT_EQ(with_key.get("/api/health/detailed").status, 200);
  EXPECT_EQ(with_key.get("/api/admin/audit-logs").status, 403);  // the manager has it, the key does not
  expect_problem(with_key.post("/api/auth/api-keys", {{"name", "escalate"}}), 403);

  expect_problem(manager.post("/api/auth/api-keys", {{"name", "too much"}, {"permissions", {"user:manage"}}}), 422);
  expect_problem(manager.post("/api/auth/api-keys", nlohmann::json::object()), 422);

  auto listed = manager.get("/api/auth/api-keys").json()["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0].contains("key"));
  EXPECT_EQ(listed[0]["prefix"], key.substr(0, 11));
  EXPECT_FALSE(listed[0]["last_used_at"].is_null());

  EXPECT_EQ(manager.del("/api/auth/api-keys/" + key_id).status, 204);
  EXPECT_EQ(with_key.get("/api/health/detailed").status, 401);
  EXPECT_EQ(manager.del("/api/auth/api-keys/" + key_id).status, 404);
  EXPECT_EQ(ApiClient(s.port(), "hk_made_up").get("/api/auth/me").status, 401);
}

// A key acts for its owner: once the owner is deactivated, the key is
// refused like the owner's tokens.
TEST_P(Rbac, ADeactivatedOwnersApiKeyIsRefused) {
  auto& s = server();
  auto owner = s.create_user("key-owner@example.com", "manager");
  const std::string owner_id = std::to_string(owner["id"].get<std::int64_t>());
  ApiClient as_owner(s.port(), login(s.port(), "key-owner@example.com", "password-123")["token"]);
  auto created = as_owner.post("/api/auth/api-keys", {{"name", "sync"}, {"permissions", {"lead:read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  ApiClient key(s.port(), created.json()["key"]);
  ASSERT_EQ(key.get("/api/leads").status, 200);

  ASSERT_EQ(s.admin().patch("/api/admin/users/" + owner_id, {{"active", false}}).status, 200);
  expect_problem(key.get("/api/leads"), 401);
  expect_problem(key.get("/api/auth/me"), 401);
  // Not even what every signed-in caller may do.
  expect_problem(key.post("/api/auth/api-keys", {{"name", "another"}}), 401);

  // Deactivating through the API also revokes the owner's keys; the owner's
  // state is checked on every request as well, so a key that escaped that
  // (one left from before keys were revoked with their owner) is refused too.
  // Here the owner is deactivated in the database, the key left unrevoked.
  s.create_user("old-key-owner@example.com", "manager");
  ApiClient as_old_owner(s.port(), login(s.port(), "old-key-owner@example.com", "password-123")["token"]);
  auto old = as_old_owner.post("/api/auth/api-keys", {{"name", "old"}, {"permissions", {"lead:read"}}});
  ASSERT_EQ(old.status, 201) << old.body;
  ApiClient old_key(s.port(), old.json()["key"]);
  ASSERT_EQ(old_key.get("/api/leads").status, 200);
  db().acquire()->execute("UPDATE users SET active = (1 = 0) WHERE email = 'old-key-owner@example.com'");
  expect_problem(old_key.get("/api/leads"), 401);
  expect_problem(old_key.get("/api/auth/me"), 401);
}

// A key's effective permissions are its own set intersected with its
// owner's current role: they shrink (and grow back, up to the key's set)
// with the role, on the next request.
TEST_P(Rbac, AKeysPermissionsFollowItsOwnersRole) {
  auto& s = server();
  auto& admin = s.admin();
  auto role = admin.post("/api/admin/roles", {{"name", "crm"}, {"permissions", {"lead:read", "lead:write"}}});
  ASSERT_EQ(role.status, 201) << role.body;
  const std::string role_id = std::to_string(role.json()["id"].get<std::int64_t>());
  auto owner = s.create_user("crm-owner@example.com", "crm");
  const std::string owner_id = std::to_string(owner["id"].get<std::int64_t>());
  ApiClient as_owner(s.port(), login(s.port(), "crm-owner@example.com", "password-123")["token"]);
  auto created = as_owner.post("/api/auth/api-keys", {{"name", "crm"}, {"permissions", {"lead:read", "lead:write"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  ApiClient key(s.port(), created.json()["key"]);
  int n = 0;
  auto create_lead = [&] {
    return key.post("/api/leads", {{"email", "k" + std::to_string(++n) + "@example.com"}}).status;
  };
  EXPECT_EQ(create_lead(), 201);

  // The owner's custom role loses lead:write: so does the key.
  ASSERT_EQ(admin.patch("/api/admin/roles/" + role_id, {{"permissions", {"lead:read"}}}).status, 200);
  EXPECT_EQ(create_lead(), 403);
  EXPECT_EQ(key.get("/api/leads").status, 200);
  ASSERT_EQ(admin.patch("/api/admin/roles/" + role_id, {{"permissions", {"lead:read", "lead:write"}}}).status, 200);
  EXPECT_EQ(create_lead(), 201);

  // The owner moves to viewer (lead:read only): the key reads, and no more.
  ASSERT_EQ(admin.patch("/api/admin/users/" + owner_id, {{"role", "viewer"}}).status, 200);
  EXPECT_EQ(create_lead(), 403);
  EXPECT_EQ(key.get("/api/leads").status, 200);
  ASSERT_EQ(admin.patch("/api/admin/users/" + owner_id, {{"role", "admin"}}).status, 200);
  // An admin owner gives the key no more than the key's own set.
  EXPECT_EQ(create_lead(), 201);
  EXPECT_EQ(key.get("/api/admin/users").status, 403);
  auto me = key.get("/api/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["permissions"], nlohmann::json({"lead:read", "lead:write"}));
}

TEST_P(Rbac, HealthDetailedReportsRealNumbers) {
  auto& s = server();
  auto r = s.admin().get("/api/health/detailed");
  ASSERT_EQ(r.status, 200) << r.body;
  auto b = r.json();
  EXPECT_EQ(b["status"], "healthy");
  EXPECT_EQ(b["services"]["database"]["status"], "healthy");
  EXPECT_TRUE(b["services"]["database"]["latency_ms"].is_number());
  EXPECT_EQ(b["services"]["redis"]["status"], "not_configured");
  EXPECT_GT(b["system"]["memory_percent"].get<double>(), 0.0);
  EXPECT_GT(b["system"]["disk_percent"].get<double>(), 0.0);
  EXPECT_TRUE(b["system"]["cpu_percent"].is_number());
  EXPECT_TRUE(b["uptime_s"].is_number_integer());
  EXPECT_EQ(s.as("viewer").get("/api/health/detailed").status, 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, Rbac, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
