// Walks the whole route table with input no client should send: malformed and
// mistyped JSON, impossible ids, nonsense query parameters. Every answer must
// be a deliberate one (below 500, a problem document when it is an error), and
// the server must still answer normally afterwards.
#include <string>
#include <vector>

#include "http/router.hpp"
#include "integration/auth/auth_fixture.hpp"

namespace herald::test {
namespace {

using BadInput = AuthTest;

// The route template with every {param} replaced by `value`.
std::string with_params(const std::string& path, const std::string& value) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      out += value;
      i = path.find('}', i);
    } else {
      out += path[i];
    }
  }
  return out;
}

const std::vector<std::string> kBadIds = {"abc", "-1", "0", "99999999999999999999999", "1.5", "%00", "%2e%2e", "%ff"};

const std::vector<std::string> kBadBodies = {
    "{",
    "[]",
    "\"text\"",
    "42",
    "null",
    "{\"a\":1}{",
    std::string(5000, '[') + std::string(5000, ']'),
    R"({"email": 5, "name": [], "role": {}, "password": 1, "active": "yes", "permissions": "all"})",
    R"({"first_name": {"x": 1}, "tags": "vip", "custom_fields": [1], "status": 7, "score": "high", "owner_id": "me"})",
    R"({"ids": "all", "filter": 7, "action": [], "tag": {}, "value": 1e400})",
    R"({"name": "", "filter": {"and": [{"field": "email'; DROP TABLE leads; --", "op": "eq", "value": 1}]}})",
    R"({"refresh_token": 12, "scopes": "lead:read", "expires_at": "yesterday"})",
    "{\"email\": \"\xff\xfe\"}",
    R"({"email": "a\u0000@example.com", "name": "x\u0000", "tags": ["\u0000"], "custom_fields": {"k\u0000": 1}})",
};

const std::vector<std::string> kBadQueries = {
    "?page=abc",       "?page=0",         "?page=-5",         "?page_size=100000", "?page_size=abc", "?sort=%27%3Bdrop",
    "?cursor=garbage", "?q=%ff%fe",       "?status=nonsense", "?from=yesterday",   "?tags=%00",      "?page=1e999",
    "?q=a%00b",        "?segment_id=abc", "?cf.x=%22",        "?limit=-1",
};

bool is_problem(const HttpResponse& r) {
  return r.header("Content-Type") == std::optional<std::string>("application/problem+json");
}

void expect_deliberate(const HttpResponse& r, const std::string& what) {
  EXPECT_GT(r.status, 0) << what << ": no answer";
  EXPECT_LT(r.status, 500) << what << ": " << r.body;
  if (r.status >= 400) {
    EXPECT_TRUE(is_problem(r)) << what << " answered " << r.status << " without a problem";
  }
}

TEST_P(BadInput, EveryRouteAnswersNonsenseWithAProblemNeverA500) {
  auto& s = server([](Config& c) { c.rate_limit = RateSpec{1'000'000, std::chrono::seconds(60)}; });
  const std::string token = s.admin().token();
  HttpClient http(s.port());
  http.set_default_headers({{"Authorization", "Bearer " + token}});
  int requests = 0;
  for (const auto& route : s.server().app().router().routes()) {
    if (route->path == "/api/auth/logout") continue;  // would end the session the walk runs on
    const std::string method(http::to_string(route->method));
    const bool has_params = route->path.find('{') != std::string::npos;
    const bool takes_body = route->method != http::Method::Get && route->method != http::Method::Delete &&
                            route->method != http::Method::Head;
    std::vector<std::string> targets;
    if (has_params) {
      for (const auto& id : kBadIds) targets.push_back(with_params(route->path, id));
    } else {
      targets.push_back(route->path);
    }
    for (const auto& target : targets) {
      if (takes_body) {
        for (const auto& body : kBadBodies) {
          auto r = http.request(method, target, body, {{"Content-Type", "application/json"}});
          expect_deliberate(r, method + " " + target + " with " + body.substr(0, 60));
          ++requests;
        }
      } else {
        auto r = http.request(method, target);
        expect_deliberate(r, method + " " + target);
        ++requests;
      }
    }
    if (route->method == http::Method::Get && !has_params) {
      for (const auto& query : kBadQueries) {
        auto r = http.request(method, route->path + query);
        expect_deliberate(r, method + " " + route->path + query);
        ++requests;
      }
    }
  }
  EXPECT_GT(requests, 200);
  // Nothing above broke the server or the admin's session.
  auto me = s.admin().get("/api/auth/me");
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(s.admin().get("/api/health").status, 200);
}

nlohmann::json without_updated_at(nlohmann::json j) {
  j.erase("updated_at");
  return j;
}

TEST_P(BadInput, ExistingRecordsRefuseNonsenseAndKeepTheirData) {
  auto& s = server([](Config& c) { c.rate_limit = RateSpec{1'000'000, std::chrono::seconds(60)}; });
  auto& admin = s.admin();
  auto lead = admin.post("/api/leads", {{"email", "kept@example.com"}, {"first_name", "Kept"}, {"tags", {"a"}}});
  ASSERT_EQ(lead.status, 201) << lead.body;
  auto segment = admin.post("/api/segments", {{"name", "Kept"}, {"filter", {{"status", "new"}}}});
  ASSERT_EQ(segment.status, 201) << segment.body;
  auto role = admin.post("/api/admin/roles", {{"name", "kept"}, {"permissions", {"lead:read"}}});
  ASSERT_EQ(role.status, 201) << role.body;
  auto user = s.create_user("kept-user@example.com", "viewer");
  const std::vector<std::string> records = {
      "/api/leads/" + std::to_string(lead.json()["id"].get<std::int64_t>()),
      "/api/segments/" + std::to_string(segment.json()["id"].get<std::int64_t>()),
      "/api/admin/users/" + std::to_string(user["id"].get<std::int64_t>()),
  };
  HttpClient http(s.port());
  http.set_default_headers({{"Authorization", "Bearer " + admin.token()}});
  for (const auto& path : records) {
    auto before = admin.get(path);
    ASSERT_EQ(before.status, 200) << path << ": " << before.body;
    for (const auto& body : kBadBodies) {
      auto r = http.request("PATCH", path, body, {{"Content-Type", "application/json"}});
      expect_deliberate(r, "PATCH " + path + " with " + body.substr(0, 60));
    }
    auto after = admin.get(path);
    EXPECT_EQ(without_updated_at(after.json()), without_updated_at(before.json())) << path;
  }
  auto role_id = role.json()["id"].get<std::int64_t>();
  for (const auto& body : kBadBodies) {
    auto r = http.request("PATCH", "/api/admin/roles/" + std::to_string(role_id), body,
                          {{"Content-Type", "application/json"}});
    expect_deliberate(r, "PATCH role with " + body.substr(0, 60));
  }
  auto roles = admin.get("/api/admin/roles").json();
  bool found = false;
  for (const auto& r : roles["items"]) {
    if (r["id"] == role_id) {
      found = true;
      EXPECT_EQ(r["name"], "kept");
      EXPECT_EQ(r["permissions"], nlohmann::json({"lead:read"}));
    }
  }
  EXPECT_TRUE(found);
}

TEST_P(BadInput, WrongContentTypeIsRefusedWithAProblem) {
  auto& s = server();
  HttpClient http(s.port());
  http.set_default_headers({{"Authorization", "Bearer " + s.admin().token()}});
  for (const std::string target : {"/api/leads", "/api/segments", "/api/admin/users", "/api/admin/roles"}) {
    auto r =
        http.request("POST", target, "email=a@example.com", {{"Content-Type", "application/x-www-form-urlencoded"}});
    expect_deliberate(r, "form body to " + target);
    EXPECT_GE(r.status, 400) << target;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInput, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
