#include <functional>
#include <thread>

#include "audit/log.hpp"
#include "core/clock.hpp"
#include "integration/auth/auth_fixture.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using Audit = AuthTest;

nlohmann::json entries(ApiClient& c, const std::string& query = "") {
  auto r = c.get("/api/admin/audit-logs" + query);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json()["items"];
}

const nlohmann::json* find_action(const nlohmann::json& items, const std::string& action) {
  for (const auto& e : items) {
    if (e["action"] == action) return &e;
  }
  return nullptr;
}

TEST_P(Audit, StateChangesLoginsAndDenialsAreRecorded) {
  auto& s = server();
  auto& admin = s.admin();
  HttpClient anon(s.port());
  anon.post_json("/api/auth/login", {{"email", "admin@example.com"}, {"password", "wrong"}},
                 {{"X-Request-ID", "failed-login-1"}});
  auto user = s.create_user("audited@example.com", "viewer");
  std::string id = std::to_string(user["id"].get<std::int64_t>());
  admin.patch("/api/admin/users/" + id, {{"name", "Changed"}});
  auto viewer = ApiClient(s.port(), login(s.port(), "audited@example.com", "password-123")["token"]);
  EXPECT_EQ(viewer.get("/api/admin/users").status, 403);
  admin.del("/api/admin/users/" + id);

  auto items = entries(admin, "?limit=200");
  auto* failed = find_action(items, "LOGIN_FAILED");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ((*failed)["success"], false);
  EXPECT_EQ((*failed)["actor"], "admin@example.com");
  EXPECT_EQ((*failed)["request_id"], "failed-login-1");
  EXPECT_EQ((*failed)["ip"], "127.0.0.1");
  ASSERT_NE(find_action(items, "LOGIN_SUCCEEDED"), nullptr);
  auto* created = find_action(items, "USER_CREATED");
  ASSERT_NE(created, nullptr);
  EXPECT_EQ((*created)["resource"], "user/" + id);
  EXPECT_EQ((*created)["success"], true);
  EXPECT_EQ((*created)["actor"], "admin@example.com");
  auto* updated = find_action(items, "USER_UPDATED");
  ASSERT_NE(updated, nullptr);
  EXPECT_EQ((*updated)["details"]["changed"][0], "name");
  auto* denied = find_action(items, "PERMISSION_DENIED");
  ASSERT_NE(denied, nullptr);
  EXPECT_EQ((*denied)["details"]["permission"], "user:manage");
  EXPECT_EQ((*denied)["success"], false);
  ASSERT_NE(find_action(items, "USER_DELETED"), nullptr);

  // Filters and the cursor.
  auto only = entries(admin, "?action=USER_CREATED");
  ASSERT_EQ(only.size(), 1u);
  auto by_resource = entries(admin, "?resource=user/" + id);
  EXPECT_GE(by_resource.size(), 3u);
  auto page = admin.get("/api/admin/audit-logs?limit=2").json();
  ASSERT_EQ(page["items"].size(), 2u);
  auto next =
      admin.get("/api/admin/audit-logs?limit=2&cursor=" + std::to_string(page["next_cursor"].get<std::int64_t>()))
          .json();
  EXPECT_LT(next["items"][0]["id"].get<std::int64_t>(), page["items"][1]["id"].get<std::int64_t>() + 1);
  EXPECT_EQ(entries(admin, "?from=2000-01-01&to=2000-01-02").size(), 0u);
  expect_problem(admin.get("/api/admin/audit-logs?from=yesterday"), 422);
  expect_problem(admin.get("/api/admin/audit-logs?limit=0"), 422);

  auto verify = admin.get("/api/admin/audit-logs/verify").json();
  EXPECT_EQ(verify["valid"], true);
  EXPECT_GE(verify["checked"].get<int>(), 6);
  EXPECT_TRUE(verify["first_broken_id"].is_null());
}

// user_id and from/to select exactly the entries they name, judged against
// the whole log.
TEST_P(Audit, UserIdFilterAndTimeRangeReturnExactlyTheirEntries) {
  auto& s = server();
  auto& admin = s.admin();
  const auto alice = s.create_user("alice@example.com", "member");
  const auto bob = s.create_user("bob@example.com", "member");
  ApiClient as_alice(s.port(), login(s.port(), "alice@example.com", "password-123")["token"]);
  ApiClient as_bob(s.port(), login(s.port(), "bob@example.com", "password-123")["token"]);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(as_alice.post("/api/leads", {{"email", "a" + std::to_string(i) + "@example.com"}}).status, 201);
    // Entries a few milliseconds apart, so a range can fall between them.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(as_bob.post("/api/leads", {{"email", "b" + std::to_string(i) + "@example.com"}}).status, 201);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto all = entries(admin, "?limit=200");
  ASSERT_GE(all.size(), 8u);
  auto ids_where = [&](const std::function<bool(const nlohmann::json&)>& keep) {
    std::vector<std::int64_t> out;
    for (const auto& e : all)
      if (keep(e)) out.push_back(e["id"].get<std::int64_t>());
    return out;
  };
  auto ids_of = [&](const std::string& query) {
    std::vector<std::int64_t> out;
    for (const auto& e : entries(admin, query)) out.push_back(e["id"].get<std::int64_t>());
    return out;
  };

  for (const auto& user : {alice, bob}) {
    const auto id = user["id"].get<std::int64_t>();
    const auto expected = ids_where([&](const nlohmann::json& e) { return e["user_id"] == id; });
    // Their sign-in and their three leads.
    EXPECT_EQ(expected.size(), 4u) << user["email"];
    EXPECT_EQ(ids_of("?limit=200&user_id=" + std::to_string(id)), expected) << user["email"];
    const auto created = ids_of("?limit=200&action=LEAD_CREATED&user_id=" + std::to_string(id));
    EXPECT_EQ(created.size(), 3u) << user["email"];
  }
  EXPECT_TRUE(ids_of("?user_id=999999").empty());

  // A range from the second of alice's leads (inclusive) to the third (exclusive).
  std::vector<std::string> alice_leads;
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if ((*it)["user_id"] == alice["id"] && (*it)["action"] == "LEAD_CREATED")
      alice_leads.push_back((*it)["created_at"]);
  ASSERT_EQ(alice_leads.size(), 3u);
  const std::string from = alice_leads[1], to = alice_leads[2];
  ASSERT_LT(from, to);
  const auto in_range = ids_where([&](const nlohmann::json& e) {
    const std::string at = e["created_at"];
    return at >= from && at < to;
  });
  ASSERT_FALSE(in_range.empty());
  EXPECT_EQ(ids_of("?limit=200&from=" + from + "&to=" + to), in_range);
  EXPECT_EQ(ids_of("?limit=200&from=" + to),
            ids_where([&](const nlohmann::json& e) { return e["created_at"].get<std::string>() >= to; }));
  EXPECT_EQ(ids_of("?limit=200&to=" + from),
            ids_where([&](const nlohmann::json& e) { return e["created_at"].get<std::string>() < from; }));
  // Both filters at once: alice's entries in the range — her second lead.
  const auto alice_in_range =
      ids_of("?limit=200&from=" + from + "&to=" + to + "&user_id=" + std::to_string(alice["id"].get<std::int64_t>()));
  ASSERT_EQ(alice_in_range.size(), 1u);
  EXPECT_EQ(entries(admin, "?limit=1&cursor=" + std::to_string(alice_in_range[0] + 1))[0]["action"], "LEAD_CREATED");
}

TEST_P(Audit, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  auto& s = server([](Config& c) { c.trusted_proxies = {"127.0.0.1"}; });
  HttpClient anon(s.port());
  anon.post_json("/api/auth/login", {{"email", "proxied@example.com"}, {"password", "nope"}},
                 {{"X-Forwarded-For", "198.51.100.7, 203.0.113.9"}});
  auto items = entries(s.admin(), "?action=LOGIN_FAILED");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["ip"], "203.0.113.9");
}

TEST_P(Audit, ForwardedForFromAnUntrustedPeerIsIgnored) {
  auto& s = server();
  HttpClient anon(s.port());
  anon.post_json("/api/auth/login", {{"email", "spoof@example.com"}, {"password", "nope"}},
                 {{"X-Forwarded-For", "203.0.113.9"}});
  auto items = entries(s.admin(), "?action=LOGIN_FAILED");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["ip"], "127.0.0.1");
}

TEST_P(Audit, CsvExportEscapesFormulas) {
  auto& s = server();
  HttpClient anon(s.port());
  anon.post_json("/api/auth/login", {{"email", "=HYPERLINK(\"http://x\")"}, {"password", "nope"}});
  auto csv = s.admin().get("/api/admin/audit-logs?format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_TRUE(csv.body.starts_with("id,created_at,user_id,actor,action"));
  EXPECT_NE(csv.body.find("\"'=HYPERLINK(\"\"http://x\"\")\""), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body.find(",=HYPERLINK"), std::string::npos);
}

TEST_P(Audit, TamperingIsDetectedAndNamed) {
  auto& s = server();
  for (int i = 0; i < 3; ++i) s.create_user("t" + std::to_string(i) + "@example.com", "viewer");
  auto before = s.admin().get("/api/admin/audit-logs/verify").json();
  ASSERT_EQ(before["valid"], true);
  auto items = entries(s.admin(), "?action=USER_CREATED");
  ASSERT_GE(items.size(), 2u);
  auto victim = items[1]["id"].get<std::int64_t>();

  // The application cannot change a row ...
  auto conn = db().acquire();
  EXPECT_THROW(conn->execute(sql_for(GetParam(), "UPDATE audit_log SET actor = 'x' WHERE id = $1"), {victim}),
               storage::DbError);
  // ... so an attacker with database access removes the guard first.
  if (GetParam() == storage::Backend::Sqlite) {
    conn->execute("DROP TRIGGER audit_log_no_update");
  } else {
    conn->execute("DROP TRIGGER audit_log_no_change ON audit_log");
  }
  conn->execute(sql_for(GetParam(), "UPDATE audit_log SET actor = 'someone-else@example.com' WHERE id = $1"), {victim});
  auto after = s.admin().get("/api/admin/audit-logs/verify").json();
  EXPECT_EQ(after["valid"], false);
  EXPECT_EQ(after["first_broken_id"], victim);
}

TEST_P(Audit, NothingIsLostOnCleanShutdown) {
  auto& s = server();
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(
        s.admin()
            .post("/api/admin/roles", {{"name", "r" + std::to_string(i)}, {"permissions", nlohmann::json::array()}})
            .status,
        201);
  }
  stop_server();  // the last entries are still queued when shutdown begins
  auto db = scratch().open();
  auto conn = db->acquire();
  std::int64_t count = 0;
  conn->execute("SELECT count(*) FROM audit_log WHERE action = 'ROLE_CREATED'", {},
                [&](const storage::Row& r) { count = r.integer(0); });
  EXPECT_EQ(count, 50);
}

TEST_P(Audit, TextNoColumnStoresIsRepairedNotAllowedToHoldUpTheQueue) {
  auto& s = server();  // migrates the scratch database
  auto db = scratch().open();
  SystemClock clock;
  {
    audit::AuditLog log(*db, clock);
    audit::Entry bad;
    bad.action = "LEAD_UPDATED";
    bad.actor = std::string("nul\0byte@example.com", 20);
    bad.resource = "leads/\xff\xfe";
    bad.error = "broken \xc3";
    log.record(std::move(bad));
    audit::Entry after;
    after.action = "LEAD_DELETED";
    after.resource = "leads/7";
    log.record(std::move(after));
    log.flush();
  }
  auto conn = db->acquire();
  std::vector<std::string> stored;
  conn->execute(
      "SELECT actor, resource, error FROM audit_log WHERE action IN ('LEAD_UPDATED', 'LEAD_DELETED') ORDER BY id", {},
      [&](const storage::Row& r) {
        stored.push_back(r.str(0));
        stored.push_back(r.str(1));
        stored.push_back(r.str(2));
      });
  ASSERT_EQ(stored.size(), 6u);
  EXPECT_EQ(stored[0],
            "nul\xEF\xBF\xBD"
            "byte@example.com");
  EXPECT_EQ(stored[1], "leads/\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(stored[2], "broken \xEF\xBF\xBD");
  EXPECT_EQ(stored[4], "leads/7");  // the entry behind it was written too
  EXPECT_EQ(s.admin().get("/api/admin/audit-logs/verify").json()["valid"], true);
}

INSTANTIATE_TEST_SUITE_P(Backends, Audit, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
