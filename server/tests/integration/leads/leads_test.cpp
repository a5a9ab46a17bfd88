// Lead records over HTTP on both backends: create, get, patch, delete, list
// with filters, sort and pages; validation naming fields, 403s, audit entries.
#include "integration/leads/leads_fixture.hpp"

namespace herald::test {
namespace {

using Leads = LeadsTest;

TEST_P(Leads, CreateNormalisesAndReturnsEveryField) {
  auto& admin = server().admin();
  auto r = admin.post("/api/leads", {{"email", "  Jane.Doe@Example.COM "},
                                     {"first_name", "Jane"},
                                     {"last_name", "Doe"},
                                     {"company", "Acme"},
                                     {"phone", "+49 30 1234"},
                                     {"website", "https://acme.example"},
                                     {"country", "DE"},
                                     {"timezone", "Europe/Berlin"},
                                     {"status", "contacted"},
                                     {"score", 70},
                                     {"tags", {"vip", "beta", "vip"}},
                                     {"custom_fields", {{"plan", "pro"}, {"seats", 12}, {"trial", false}}},
                                     {"source", "webinar"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto lead = r.json();
  EXPECT_EQ(r.header("Location"), "/api/leads/" + id_of(lead));
  EXPECT_EQ(lead["email"], "jane.doe@example.com");
  EXPECT_EQ(lead["status"], "contacted");
  EXPECT_EQ(lead["score"], 70);
  EXPECT_EQ(lead["tags"], nlohmann::json({"vip", "beta"}));
  EXPECT_EQ(lead["custom_fields"], (nlohmann::json{{"plan", "pro"}, {"seats", 12}, {"trial", false}}));
  EXPECT_TRUE(lead["owner_id"].is_null());
  for (auto key : {"id", "email", "first_name", "last_name", "company", "title", "phone", "website", "country",
                   "timezone", "status", "score", "owner_id", "tags", "custom_fields", "created_at", "updated_at"})
    EXPECT_TRUE(lead.contains(key)) << key;
  EXPECT_EQ(admin.get("/api/leads/" + id_of(lead)).json(), lead);

  auto created = audit("LEAD_CREATED");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0]["resource"], "lead/" + id_of(lead));
  EXPECT_EQ(created[0]["success"], true);
}

TEST_P(Leads, CreateRefusesBadFieldsByNameAndDuplicates) {
  auto& admin = server().admin();
  auto bad = admin.post("/api/leads", {{"email", "not-an-email"},
                                       {"status", "hot"},
                                       {"score", 500},
                                       {"owner_id", 99999},
                                       {"custom_fields", {{"a b", 1}}}});
  expect_problem(bad, 422);
  EXPECT_EQ(error_fields(bad), (std::set<std::string>{"email", "status", "score", "custom_fields"}));
  auto missing = admin.post("/api/leads", {{"first_name", "No Email"}});
  EXPECT_EQ(error_fields(missing), std::set<std::string>{"email"});
  auto owner = admin.post("/api/leads", {{"email", "o@example.com"}, {"owner_id", 99999}});
  expect_problem(owner, 422);
  EXPECT_EQ(error_fields(owner), std::set<std::string>{"owner_id"});

  create_lead({{"email", "dup@example.com"}});
  auto dup = admin.post("/api/leads", {{"email", "DUP@example.com"}});
  expect_problem(dup, 409);
  EXPECT_EQ(dup.body.find("dup@example.com"), std::string::npos) << "no personal data in problems (they are audited)";
  auto failed = audit("LEAD_CREATED");
  ASSERT_GE(failed.size(), 2u);
  EXPECT_EQ(failed[0]["success"], false);
}

TEST_P(Leads, PatchChangesOnlyWhatIsSent) {
  auto& admin = server().admin();
  auto owner = server().create_user("owner@example.com", "member");
  auto lead = create_lead({{"email", "p@example.com"},
                           {"first_name", "Pat"},
                           {"company", "Old"},
                           {"custom_fields", {{"plan", "pro"}, {"seats", 2}}},
                           {"tags", {"a"}}});
  std::string path = "/api/leads/" + id_of(lead);
  auto r = admin.patch(path, {{"company", nullptr},
                              {"status", "replied"},
                              {"owner_id", owner["id"]},
                              {"tags", {"b", "c"}},
                              {"custom_fields", {{"seats", 5}, {"plan", nullptr}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto patched = r.json();
  EXPECT_EQ(patched["first_name"], "Pat");
  EXPECT_EQ(patched["company"], "");
  EXPECT_EQ(patched["status"], "replied");
  EXPECT_EQ(patched["owner_id"], owner["id"]);
  EXPECT_EQ(patched["tags"], nlohmann::json({"b", "c"}));
  EXPECT_EQ(patched["custom_fields"], (nlohmann::json{{"seats", 5}}));
  EXPECT_EQ(admin.get("/api/leads?tag=a").json()["total"], 0);
  EXPECT_EQ(admin.get("/api/leads?tag=c").json()["total"], 1);

  auto bad = admin.patch(path, {{"score", "high"}, {"email", nullptr}, {"id", 4}});
  expect_problem(bad, 422);
  EXPECT_EQ(error_fields(bad), (std::set<std::string>{"score", "email", "id"}));
  create_lead({{"email", "taken@example.com"}});
  expect_problem(admin.patch(path, {{"email", "taken@example.com"}}), 409);
  expect_problem(admin.patch("/api/leads/999999", {{"status", "new"}}), 404);

  auto updated = audit("LEAD_UPDATED");
  ASSERT_GE(updated.size(), 1u);
  auto last_ok = std::find_if(updated.begin(), updated.end(), [](auto& e) { return e["success"] == true; });
  ASSERT_NE(last_ok, updated.end());
  EXPECT_EQ((*last_ok)["resource"], "lead/" + id_of(lead));
  EXPECT_EQ((*last_ok)["details"]["changed"],
            nlohmann::json({"company", "custom_fields", "owner_id", "status", "tags"}));
}

TEST_P(Leads, DeleteIsPermanentAndNeedsLeadDelete) {
  auto lead = create_lead({{"email", "gone@example.com"}, {"tags", {"x"}}});
  std::string path = "/api/leads/" + id_of(lead);
  auto member = server().as("member");
  expect_problem(member.del(path), 403);
  EXPECT_EQ(server().admin().del(path).status, 204);
  expect_problem(server().admin().get(path), 404);
  expect_problem(server().admin().del(path), 404);
  EXPECT_EQ(server().admin().get("/api/leads?tag=x").json()["total"], 0);
  auto deleted = audit("LEAD_DELETED");
  ASSERT_GE(deleted.size(), 1u);
  EXPECT_EQ(deleted.back()["resource"], "lead/" + id_of(lead));
  auto denied = audit("PERMISSION_DENIED");
  ASSERT_GE(denied.size(), 1u);
  EXPECT_EQ(denied[0]["details"]["permission"], "lead:delete");
  // Ids are never reused: audit entries keep meaning one lead.
  auto next = create_lead({{"email", "next@example.com"}});
  EXPECT_GT(next["id"].get<std::int64_t>(), lead["id"].get<std::int64_t>());
}

TEST_P(Leads, PermissionsPerRole) {
  auto lead = create_lead({{"email", "r@example.com"}});
  auto viewer = server().as("viewer");
  EXPECT_EQ(viewer.get("/api/leads").status, 200);
  EXPECT_EQ(viewer.get("/api/leads/" + id_of(lead)).status, 200);
  expect_problem(viewer.post("/api/leads", {{"email", "v@example.com"}}), 403);
  expect_problem(viewer.patch("/api/leads/" + id_of(lead), {{"status", "new"}}), 403);
  expect_problem(viewer.get("/api/leads/export"), 403);
  auto member = server().as("member");
  EXPECT_EQ(member.post("/api/leads", {{"email", "m@example.com"}}).status, 201);
  EXPECT_EQ(member.patch("/api/leads/" + id_of(lead), {{"status", "contacted"}}).status, 200);
  HttpClient anonymous(server().port());
  EXPECT_EQ(anonymous.get("/api/leads").status, 401);

  // A custom role without lead:read sees no leads at all.
  ASSERT_EQ(server().admin().post("/api/admin/roles", {{"name", "writer"}, {"permissions", {"template:read"}}}).status,
            201);
  server().create_user("writer@example.com", "writer");
  ApiClient writer(server().port(), login(server().port(), "writer@example.com", "password-123")["token"]);
  expect_problem(writer.get("/api/leads"), 403);
  expect_problem(writer.get("/api/leads/" + id_of(lead)), 403);
  expect_problem(writer.get("/api/segments"), 403);
  expect_problem(writer.get("/api/leads/suppressions"), 403);
  bool denied = false;
  for (auto& e : audit("PERMISSION_DENIED")) denied = denied || e["details"]["permission"] == "lead:read";
  EXPECT_TRUE(denied);
}

TEST_P(Leads, ListFiltersSortsAndPages) {
  auto& admin = server().admin();
  auto owner = server().create_user("seller@example.com", "member");
  for (int i = 0; i < 12; ++i) {
    nlohmann::json body = {{"email", "l" + std::to_string(i) + "@example.com"},
                           {"first_name", i % 2 ? "Odd" : "Even"},
                           {"company", i < 3 ? "Acme Corp" : "Other"},
                           {"status", i % 3 == 0 ? "new" : "contacted"},
                           {"score", i * 5},
                           {"country", i < 6 ? "DE" : "FR"},
                           {"tags", i % 4 == 0 ? nlohmann::json({"vip"}) : nlohmann::json::array()},
                           {"custom_fields", {{"plan", i % 2 ? "pro" : "free"}, {"n", i}, {"flag", i == 5}}}};
    if (i >= 10) body["owner_id"] = owner["id"];
    create_lead(body);
  }
  auto total = [&](const std::string& q) {
    auto r = admin.get("/api/leads" + q);
    EXPECT_EQ(r.status, 200) << q << ": " << r.body;
    return r.status == 200 ? r.json()["total"].get<int>() : -1;
  };
  EXPECT_EQ(total(""), 12);
  EXPECT_EQ(total("?status=new"), 4);
  EXPECT_EQ(total("?status=new,contacted"), 12);
  EXPECT_EQ(total("?q=acme"), 3);
  EXPECT_EQ(total("?q=L1"), 3);  // l1, l10, l11: case-insensitive
  EXPECT_EQ(total("?tag=vip"), 3);
  EXPECT_EQ(total("?not_tag=vip"), 9);
  EXPECT_EQ(total("?owner_id=" + id_of(owner)), 2);
  EXPECT_EQ(total("?owner_id=none"), 10);
  EXPECT_EQ(total("?country=FR&score_min=40"), 4);
  EXPECT_EQ(total("?cf.plan=pro"), 6);
  EXPECT_EQ(total("?cf.n=7"), 1);
  EXPECT_EQ(total("?cf.flag=true"), 1);
  EXPECT_EQ(total("?created_from=2000-01-01&created_to=2100-01-01"), 12);
  EXPECT_EQ(total("?created_to=2000-01-01"), 0);

  auto page = admin.get("/api/leads?sort=score&page=2&page_size=5").json();
  EXPECT_EQ(page["page"], 2);
  EXPECT_EQ(page["page_size"], 5);
  ASSERT_EQ(page["items"].size(), 5u);
  EXPECT_EQ(page["items"][0]["score"], 25);
  auto desc = admin.get("/api/leads?sort=-email&page_size=1").json();
  EXPECT_EQ(desc["items"][0]["email"], "l9@example.com");

  // Keyset pages by id: every lead exactly once.
  std::set<std::int64_t> seen;
  std::string cursor;
  for (int pages = 0; pages < 10; ++pages) {
    auto r = admin.get("/api/leads?page_size=5" + (cursor.empty() ? "" : "&cursor=" + cursor)).json();
    for (auto& item : r["items"]) EXPECT_TRUE(seen.insert(item["id"].get<std::int64_t>()).second);
    if (r["next_cursor"].is_null()) break;
    cursor = std::to_string(r["next_cursor"].get<std::int64_t>());
  }
  EXPECT_EQ(seen.size(), 12u);
  // Both directions from a cursor (every lead: the rows are read along the primary key).
  std::vector<std::int64_t> ids;
  const auto ascending = admin.get("/api/leads?sort=id&page_size=200").json();
  for (const auto& item : ascending["items"]) ids.push_back(item["id"]);
  ASSERT_EQ(ids.size(), 12u);
  auto up = admin.get("/api/leads?sort=id&page_size=2&cursor=" + std::to_string(ids[3])).json()["items"];
  ASSERT_EQ(up.size(), 2u);
  EXPECT_EQ(up[0]["id"], ids[4]);
  EXPECT_EQ(up[1]["id"], ids[5]);
  auto down = admin.get("/api/leads?sort=-id&page_size=2&cursor=" + std::to_string(ids[5])).json()["items"];
  ASSERT_EQ(down.size(), 2u);
  EXPECT_EQ(down[0]["id"], ids[4]);
  EXPECT_EQ(down[1]["id"], ids[3]);
  EXPECT_EQ(admin.get("/api/leads?sort=-id&page_size=2&cursor=" + std::to_string(ids[0])).json()["items"].size(), 0u);

  for (const auto& bad : {"?status=hot", "?colour=red", "?page=0", "?page_size=201", "?sort=password", "?owner_id=x",
                          "?created_from=soon", "?cf.a-b=1", "?sort=email&cursor=5", "?page=5000&page_size=200"}) {
    auto r = admin.get(std::string("/api/leads") + bad);
    expect_problem(r, 422);
    EXPECT_EQ(error_fields(r).size(), 1u) << bad << ": " << r.body;
  }
}

TEST_P(Leads, TotalFollowsWritesAtOnce) {
  auto& admin = server().admin();
  EXPECT_EQ(admin.get("/api/leads?status=new").json()["total"], 0);
  auto a = create_lead({{"email", "a@example.com"}});
  EXPECT_EQ(admin.get("/api/leads?status=new").json()["total"], 1);
  create_lead({{"email", "b@example.com"}});
  EXPECT_EQ(admin.get("/api/leads?status=new").json()["total"], 2);
  admin.patch("/api/leads/" + id_of(a), {{"status", "replied"}});
  EXPECT_EQ(admin.get("/api/leads?status=new").json()["total"], 1);
  EXPECT_EQ(admin.get("/api/leads?status=replied").json()["total"], 1);
  admin.del("/api/leads/" + id_of(a));
  EXPECT_EQ(admin.get("/api/leads").json()["total"], 1);
}

// Hostile text in every filter, the sort and custom fields, against several
// leads: each input either is refused naming its parameter or matches exactly
// the leads that hold that text literally, and the table is intact after.
TEST_P(Leads, FilterInjectionAttemptsMatchLiterallyOrAreRefused) {
  auto& admin = server().admin();
  const auto obrien = create_lead({{"email", "safe@example.com"}, {"company", "O'Brien & Co"}, {"country", "DE"}});
  const auto percent = create_lead({{"email", "percent@example.com"}, {"company", "100% Organic"}, {"country", "FR"}});
  const auto underscore = create_lead({{"email", "under@example.com"}, {"company", "snake_case Ltd"}});
  const auto hostile = create_lead({{"email", "hostile@example.com"},
                                    {"first_name", "Robert'); DROP TABLE leads;--"},
                                    {"country", "DE') OR ('1'='1"},
                                    {"source", "x' OR 'x'='x"},
                                    {"tags", {"x' OR 1=1 --"}},
                                    {"custom_fields", {{"x", "1';DROP TABLE leads;--"}}}});
  const auto plain = create_lead({{"email", "plain@example.com"}, {"status", "contacted"}, {"tags", {"vip"}}});
  const int kAll = 5;

  // Exactly these leads (by email), in id order.
  auto matches = [&](const std::string& query) {
    auto r = admin.get("/api/leads?sort=id&" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> emails;
    if (r.status != 200) return emails;
    const auto page = r.json();
    for (const auto& item : page["items"]) emails.push_back(item["email"]);
    EXPECT_EQ(page["total"].get<std::size_t>(), emails.size()) << query;
    return emails;
  };
  using Emails = std::vector<std::string>;
  const Emails none;
  EXPECT_EQ(matches("q=%27%20OR%20%271%27=%271"), none);                // ' OR '1'='1
  EXPECT_EQ(matches("q=%27%3B%20DELETE%20FROM%20leads%3B--"), none);    // '; DELETE FROM leads;--
  EXPECT_EQ(matches("q=%25"), Emails{"percent@example.com"});           // % is a character
  EXPECT_EQ(matches("q=_"), Emails{"under@example.com"});               // so is _
  EXPECT_EQ(matches("q=O%27Brien"), Emails{"safe@example.com"});        // a quote is just a quote
  EXPECT_EQ(matches("q=DROP%20TABLE"), Emails{"hostile@example.com"});  // found as text, not run
  EXPECT_EQ(matches("country=DE%27)%20OR%20(%271%27=%271"), Emails{"hostile@example.com"});
  EXPECT_EQ(matches("country=DE"), Emails{"safe@example.com"});
  EXPECT_EQ(matches("source=x%27%20OR%20%27x%27=%27x"), Emails{"hostile@example.com"});
  EXPECT_EQ(matches("tag=x%27%20OR%201=1%20--"), Emails{"hostile@example.com"});
  EXPECT_EQ(matches("not_tag=x%27%20OR%201=1%20--").size(), static_cast<std::size_t>(kAll - 1));
  EXPECT_EQ(matches("cf.x=1%27%3BDROP%20TABLE%20leads%3B--"), Emails{"hostile@example.com"});
  EXPECT_EQ(matches("cf.x=1"), none);
  EXPECT_EQ(matches("status=contacted"), Emails{"plain@example.com"});

  // Not a value of its parameter at all: refused, naming it.
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"status=new%27%20OR%201=1%20--", "status"},
           {"sort=id%3BDROP%20TABLE%20leads", "sort"},
           {"sort=email%20DESC%2C%20(SELECT%201)", "sort"},
           {"owner_id=1%20OR%201=1", "owner_id"},
           {"score_min=0%20OR%201=1", "score_min"},
           {"segment_id=1%3BDROP", "segment_id"},
           {"cf.a%27b=1", "cf.a'b"},
           {"cf.x%22)%20OR%20(1=1=1", "cf.x\") OR (1"},
       }) {
    auto r = admin.get("/api/leads?" + query);
    expect_problem(r, 422);
    EXPECT_EQ(error_fields(r), std::set<std::string>{field}) << query << ": " << r.body;
  }

  // The table and every row are still there, unchanged.
  EXPECT_EQ(matches("").size(), static_cast<std::size_t>(kAll));
  for (const auto& lead : {obrien, percent, underscore, hostile, plain}) {
    auto r = admin.get("/api/leads/" + id_of(lead));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json(), lead);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, Leads, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
