// Walks the whole route table with input no client should send: malformed and
// mistyped JSON, unknown keys, impossible ids, nonsense query parameters.
// Every such request is refused on purpose: a 4xx answer with a problem
// document (never a 2xx that quietly did something, never a 5xx), a 422
// names the offending field, and no record changes.
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http/router.hpp"
#include "integration/auth/auth_fixture.hpp"
#include "jobs/queue.hpp"

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

bool has_params(const http::Route& route) { return route.path.find('{') != std::string::npos; }
bool takes_json_body(const http::Route& route) {
  return (route.method == http::Method::Post || route.method == http::Method::Patch ||
          route.method == http::Method::Put) &&
         !route.body_sink;
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
    R"({"email": 5})",
    R"({"job_id": "not-a-job-id", "colour": "red"})",
    "{\"email\": \"\xff\xfe\"}",
    R"({"email": "a\u0000@example.com", "name": "x\u0000", "tags": ["\u0000"], "custom_fields": {"k\u0000": 1}})",
};

// Query parameters with values no route accepts; each is sent to every GET
// route that declares the parameter ("cf.<field>" stands for any cf. key).
const std::vector<std::pair<std::string, std::string>> kBadQueries = {
    {"page", "abc"},         {"page", "0"},        {"page", "-5"},           {"page", "1e999"},
    {"page_size", "100000"}, {"page_size", "abc"}, {"sort", "%27%3Bdrop"},   {"sort", "password"},
    {"cursor", "garbage"},   {"q", "%ff%fe"},      {"q", "a%00b"},           {"status", "nonsense"},
    {"from", "yesterday"},   {"to", "2026-13-45"}, {"created_from", "soon"}, {"created_to", "later"},
    {"tag", "%00"},          {"not_tag", "a%00"},  {"segment_id", "abc"},    {"limit", "-1"},
    {"limit", "0"},          {"user_id", "abc"},   {"owner_id", "me"},       {"score_min", "high"},
    {"score_max", "101"},    {"kind", "sms"},      {"reason", "nonsense"},   {"format", "xml"},
    {"cf.a%27b", "1"},       {"country", "%ff"},   {"source", "a%00"},
};

bool is_problem(const HttpResponse& r) {
  return r.header("Content-Type") == std::optional<std::string>("application/problem+json");
}

// A deliberate refusal: 4xx, with a problem document.
void expect_refused(const HttpResponse& r, const std::string& what) {
  EXPECT_GE(r.status, 400) << what << ": accepted with " << r.status << " " << r.body.substr(0, 200);
  EXPECT_LT(r.status, 500) << what << ": " << r.body.substr(0, 200);
  EXPECT_TRUE(is_problem(r)) << what << " answered " << r.status << " without a problem document";
}

std::set<std::string> error_fields(const HttpResponse& r) {
  std::set<std::string> out;
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (doc.is_object() && doc.contains("errors"))
    for (const auto& e : doc["errors"]) out.insert(e.value("field", ""));
  return out;
}

// A 422 problem naming `field`.
void expect_names_field(const HttpResponse& r, const std::string& field, const std::string& what) {
  EXPECT_EQ(r.status, 422) << what << ": " << r.body.substr(0, 300);
  EXPECT_TRUE(is_problem(r)) << what;
  EXPECT_TRUE(error_fields(r).contains(field)) << what << " does not name '" << field << "': " << r.body;
}

// A value of another JSON type than the schema's.
nlohmann::json mistyped(const std::string& type) {
  if (type == "string") return 5;
  if (type == "boolean") return "yes";
  if (type == "object") return 5;
  return "x";  // integer, number, array
}

// One record of every kind a write route with a {param} acts on, and a dead
// job that a retry must not bring back unless asked.
struct Records {
  std::string lead, segment, role, user, suppression, api_key;
  std::string template_id, campaign;
  std::string dead_job;
  std::optional<jobs::TimePoint> died_at;

  // The dead job was not retried: had it been, it would be waiting or
  // running, or (run and dead again already) have died at another time.
  void expect_not_retried(jobs::JobQueue& queue) const {
    const auto job = queue.get(dead_job);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->status, jobs::JobStatus::Dead) << "the dead job was retried";
    EXPECT_EQ(job->finished_at, died_at) << "the dead job was retried, and died again";
  }

  // The route's path with a real record in place of its parameter; empty
  // (and a test failure) for a route this test does not know yet.
  std::string target(const http::Route& route) const {
    if (!has_params(route)) return route.path;
    static const std::vector<std::pair<std::string, std::string Records::*>> kById = {
        {"/api/admin/users/{id}", &Records::user},
        {"/api/admin/roles/{id}", &Records::role},
        {"/api/leads/suppressions/{id}", &Records::suppression},
        {"/api/leads/{id}", &Records::lead},
        {"/api/leads/{id}/gdpr-erase", &Records::lead},
        {"/api/segments/{id}", &Records::segment},
        {"/api/auth/api-keys/{id}", &Records::api_key},
        {"/api/templates/{id}", &Records::template_id},
        {"/api/templates/{id}/preview", &Records::template_id},
        {"/api/templates/{id}/test", &Records::template_id},
        {"/api/campaigns/{id}", &Records::campaign},
        {"/api/campaigns/{id}/send", &Records::campaign},
        {"/api/campaigns/{id}/pause", &Records::campaign},
        {"/api/campaigns/{id}/resume", &Records::campaign},
        {"/api/campaigns/{id}/cancel", &Records::campaign},
        {"/api/campaigns/{id}/test", &Records::campaign}};
    // The one-click unsubscribe acts on a signed token, not a record: one of none.
    if (route.path == "/u/{token}") return with_params(route.path, "not-a-token");
    if (route.path == "/api/admin/queues/{queue}/retry") return with_params(route.path, "emails");
    for (const auto& [path, member] : kById)
      if (route.path == path) return with_params(route.path, this->*member);
    ADD_FAILURE() << route.path << ": no record to call this write route on; add one to Records";
    return {};
  }
};

std::string id_of(const HttpResponse& r) { return std::to_string(r.json()["id"].get<std::int64_t>()); }

Records make_records(AuthedServer& s) {
  auto& admin = s.admin();
  Records out;
  auto lead = admin.post("/api/leads", {{"email", "kept@example.com"}, {"first_name", "Kept"}, {"tags", {"a"}}});
  EXPECT_EQ(lead.status, 201) << lead.body;
  out.lead = id_of(lead);
  auto segment = admin.post("/api/segments", {{"name", "Kept"}, {"filter", {{"status", "new"}}}});
  EXPECT_EQ(segment.status, 201) << segment.body;
  out.segment = id_of(segment);
  auto role = admin.post("/api/admin/roles", {{"name", "kept"}, {"permissions", {"lead:read"}}});
  EXPECT_EQ(role.status, 201) << role.body;
  out.role = id_of(role);
  out.user = std::to_string(s.create_user("kept-user@example.com", "viewer")["id"].get<std::int64_t>());
  auto suppression = admin.post("/api/leads/suppressions", {{"email", "never@example.com"}, {"note", "kept"}});
  EXPECT_EQ(suppression.status, 201) << suppression.body;
  out.suppression = id_of(suppression);
  auto key = admin.post("/api/auth/api-keys", {{"name", "kept"}});
  EXPECT_EQ(key.status, 201) << key.body;
  out.api_key = id_of(key);
  auto tmpl =
      admin.post("/api/templates", {{"name", "Kept"}, {"subject", "Hi {{first_name}}"}, {"html", "<p>Kept</p>"}});
  EXPECT_EQ(tmpl.status, 201) << tmpl.body;
  out.template_id = id_of(tmpl);
  auto campaign = admin.post("/api/campaigns", {{"name", "Kept"},
                                                {"template_id", std::stoll(out.template_id)},
                                                {"from_email", "news@example.com"},
                                                {"audience", {{"all", true}}}});
  EXPECT_EQ(campaign.status, 201) << campaign.body;
  out.campaign = id_of(campaign);

  // A job no worker has a handler for dies on its first attempt.
  auto& queue = s.server().app().job_queue();
  jobs::JobSpec spec;
  spec.name = "test.nobody";
  spec.queue = "emails";
  spec.max_attempts = 1;
  out.dead_job = queue.enqueue(spec).id;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (queue.get(out.dead_job)->status != jobs::JobStatus::Dead && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(queue.get(out.dead_job)->status, jobs::JobStatus::Dead) << "the job did not die";
  out.died_at = queue.get(out.dead_job)->finished_at;
  EXPECT_TRUE(out.died_at.has_value());
  return out;
}

// What the walks must leave as it was: every record and its fields.
nlohmann::json snapshot(ApiClient& admin, const Records& r) {
  nlohmann::json out;
  for (const std::string& path : {"/api/leads/" + r.lead, "/api/segments/" + r.segment, "/api/admin/users/" + r.user,
                                  "/api/leads/suppressions/" + r.suppression, "/api/templates/" + r.template_id}) {
    auto got = admin.get(path);
    EXPECT_EQ(got.status, 200) << path << ": " << got.body;
    auto j = got.json();
    j.erase("updated_at");
    j.erase("member_count");
    out[path] = j;
  }
  for (const std::string path :
       {"/api/leads", "/api/segments", "/api/admin/users", "/api/leads/suppressions", "/api/templates"})
    out[path + " total"] = admin.get(path).json()["total"];
  out["/api/settings"] = admin.get("/api/settings").json();
  for (const std::string path : {"/api/admin/roles", "/api/auth/api-keys", "/api/settings/dkim"}) {
    auto items = admin.get(path).json()["items"];
    for (auto& item : items) {
      item.erase("updated_at");
      item.erase("last_used_at");
    }
    out[path] = items;
  }
  return out;
}

TEST_P(BadInput, EveryRouteRefusesNonsenseWithA4xxProblem) {
  auto& s = server([](Config& c) {
    c.rate_limit = RateSpec{1'000'000, std::chrono::seconds(60)};
    c.login_rate_limit = RateSpec{1'000'000, std::chrono::seconds(60)};
  });
  const Records records = make_records(s);
  const auto before = snapshot(s.admin(), records);
  HttpClient http(s.port());
  http.set_default_headers({{"Authorization", "Bearer " + s.admin().token()}});
  int requests = 0;
  for (const auto& route : s.server().app().router().routes()) {
    if (route->path == "/api/auth/logout") continue;  // would end the session the walk runs on
    const std::string method(http::to_string(route->method));
    const bool body = takes_json_body(*route) || route->body_sink;
    std::vector<std::string> targets;
    if (has_params(*route)) {
      for (const auto& id : kBadIds) targets.push_back(with_params(route->path, id));
    }
    // Bad bodies also go to a real record, where the body is what is wrong.
    if (body) targets.push_back(records.target(*route));
    for (const auto& target : targets) {
      if (body) {
        for (const auto& b : kBadBodies) {
          auto r = http.request(method, target, b, {{"Content-Type", "application/json"}});
          expect_refused(r, method + " " + target + " with " + b.substr(0, 60));
          ++requests;
        }
      } else {
        expect_refused(http.request(method, target), method + " " + target);
        ++requests;
      }
    }
    if (route->method != http::Method::Get || has_params(*route)) continue;
    for (const auto& [name, value] : kBadQueries) {
      const bool declared = std::any_of(route->doc.query.begin(), route->doc.query.end(), [&](const auto& q) {
        return q.first == name || (q.first == "cf.<field>" && name.starts_with("cf."));
      });
      if (!declared) continue;
      const std::string target = route->path + "?" + name + "=" + value;
      expect_refused(http.request(method, target), method + " " + target);
      ++requests;
    }
  }
  EXPECT_GT(requests, 500);
  // Nothing above changed a record, retried the dead job, or ended the session.
  EXPECT_EQ(snapshot(s.admin(), records), before);
  records.expect_not_retried(s.server().app().job_queue());
  auto me = s.admin().get("/api/auth/me");
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(s.admin().get("/api/health").status, 200);
}

// The allow-list of every write endpoint is its schema in the route table: a
// key outside it, or a key of it with a value of another type, is a 422
// naming that key.
TEST_P(BadInput, EveryWriteEndpointNamesAnUnknownOrMistypedField) {
  auto& s = server([](Config& c) {
    c.rate_limit = RateSpec{1'000'000, std::chrono::seconds(60)};
    c.login_rate_limit = RateSpec{1'000'000, std::chrono::seconds(60)};
  });
  const Records records = make_records(s);
  const auto before = snapshot(s.admin(), records);
  // Logout runs on a session of its own, which must survive every refusal.
  ApiClient other(s.port(), login(s.port(), std::string(kAdminEmail), std::string(kAdminPassword))["token"]);
  int endpoints = 0;
  for (const auto& route : s.server().app().router().routes()) {
    if (!takes_json_body(*route)) continue;
    const std::string method(http::to_string(route->method));
    const std::string target = records.target(*route);
    if (target.empty()) continue;
    ApiClient& client = route->path == "/api/auth/logout" ? other : s.admin();
    const std::string what = method + " " + route->path;
    ++endpoints;
    expect_names_field(client.call(method, target, {{"no_such_field", 1}}), "no_such_field", what);
    expect_names_field(client.call(method, target, {{"Email", "a@example.com"}}), "Email", what + " (case)");
    const auto& schema = route->doc.request_body;
    if (!schema.is_object() || !schema.contains("properties")) continue;
    for (const auto& [field, spec] : schema["properties"].items()) {
      const std::string type = spec.value("type", "");
      expect_names_field(client.call(method, target, {{field, mistyped(type)}}), field,
                         what + " with " + field + " as not a " + type);
    }
  }
  EXPECT_GE(endpoints, 15);
  // The import takes its fields as query parameters: a misspelt one is named
  // before a byte of the body is read.
  HttpClient http(s.port());
  auto import = http.request("POST", "/api/leads/import?mdoe=upsert", "email\nx@example.com\n",
                             {{"Authorization", "Bearer " + s.admin().token()}, {"Content-Type", "text/csv"}});
  expect_names_field(import, "mdoe", "POST /api/leads/import?mdoe=upsert");

  EXPECT_EQ(snapshot(s.admin(), records), before);
  records.expect_not_retried(s.server().app().job_queue());
  EXPECT_EQ(other.get("/api/auth/me").status, 200) << "a refused logout ended the session";
}

TEST_P(BadInput, RetryWithAGarbageBodyRetriesNothing) {
  auto& s = server();
  const Records records = make_records(s);
  auto& queue = s.server().app().job_queue();
  auto garbage = s.admin().post("/api/admin/queues/emails/retry", {{"email", 5}});
  expect_names_field(garbage, "email", "retry with {\"email\":5}");
  records.expect_not_retried(queue);
  EXPECT_EQ(queue.stats("emails").failed, 1);
  // An empty object (or no body) is the documented "retry them all": the job
  // runs again (and, having no handler, dies again — at a later time).
  auto all = s.admin().post("/api/admin/queues/emails/retry", nlohmann::json::object());
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json()["retried"], 1);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  auto again = queue.get(records.dead_job);
  while ((again->status != jobs::JobStatus::Dead || again->finished_at == records.died_at) &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    again = queue.get(records.dead_job);
  }
  EXPECT_EQ(again->status, jobs::JobStatus::Dead);
  EXPECT_GT(again->finished_at, records.died_at) << "the retried job did not run again";
}

TEST_P(BadInput, PatchingARoleWithUnknownKeysChangesNothing) {
  auto& s = server();
  auto role = s.admin().post("/api/admin/roles", {{"name", "kept"}, {"permissions", {"lead:read"}}});
  ASSERT_EQ(role.status, 201) << role.body;
  const std::string path = "/api/admin/roles/" + id_of(role);
  auto r = s.admin().patch(path, {{"name", "renamed"}, {"permission", {"user:manage"}}});
  expect_names_field(r, "permission", "PATCH role with a misspelt key");
  const auto roles = s.admin().get("/api/admin/roles").json();
  int found = 0;
  for (const auto& item : roles["items"]) {
    if (std::to_string(item["id"].get<std::int64_t>()) != id_of(role)) continue;
    ++found;
    EXPECT_EQ(item["name"], "kept");
    EXPECT_EQ(item["permissions"], nlohmann::json({"lead:read"}));
  }
  EXPECT_EQ(found, 1);
}

TEST_P(BadInput, ExistingRecordsRefuseNonsenseAndKeepTheirData) {
  auto& s = server([](Config& c) { c.rate_limit = RateSpec{1'000'000, std::chrono::seconds(60)}; });
  const Records records = make_records(s);
  const auto before = snapshot(s.admin(), records);
  HttpClient http(s.port());
  http.set_default_headers({{"Authorization", "Bearer " + s.admin().token()}});
  for (const std::string& path :
       {"/api/leads/" + records.lead, "/api/segments/" + records.segment, "/api/admin/users/" + records.user,
        "/api/admin/roles/" + records.role, "/api/leads/suppressions/" + records.suppression}) {
    for (const auto& body : kBadBodies) {
      auto r = http.request("PATCH", path, body, {{"Content-Type", "application/json"}});
      expect_refused(r, "PATCH " + path + " with " + body.substr(0, 60));
    }
  }
  EXPECT_EQ(snapshot(s.admin(), records), before);
}

TEST_P(BadInput, WrongContentTypeIsRefusedWithA415) {
  auto& s = server();
  HttpClient http(s.port());
  http.set_default_headers({{"Authorization", "Bearer " + s.admin().token()}});
  for (const std::string target : {"/api/leads", "/api/segments", "/api/admin/users", "/api/admin/roles"}) {
    auto r =
        http.request("POST", target, "email=a@example.com", {{"Content-Type", "application/x-www-form-urlencoded"}});
    expect_refused(r, "form body to " + target);
    EXPECT_EQ(r.status, 415) << target;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInput, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
