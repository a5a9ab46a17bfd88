// GDPR export and erasure, and the streamed CSV export, on both backends.
#include "core/crypto.hpp"
#include "integration/leads/leads_fixture.hpp"

namespace herald::test {
namespace {

using Gdpr = LeadsTest;
using LeadExport = LeadsTest;

std::size_t count_lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST_P(Gdpr, ExportHoldsEverythingAboutOneLead) {
  auto& admin = server().admin();
  auto lead = create_lead({{"email", "subject@example.com"},
                           {"first_name", "Sue"},
                           {"tags", {"vip"}},
                           {"custom_fields", {{"note", "met at fair"}}}});
  admin.patch("/api/leads/" + id_of(lead), {{"status", "replied"}});
  auto r = admin.get("/api/leads/" + id_of(lead) + "/gdpr-export");
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = r.json();
  EXPECT_EQ(doc["lead"]["email"], "subject@example.com");
  EXPECT_EQ(doc["lead"]["custom_fields"]["note"], "met at fair");
  EXPECT_EQ(doc["suppressed"], false);
  std::set<std::string> actions;
  for (auto& h : doc["history"]) actions.insert(h["action"]);
  EXPECT_TRUE(actions.count("LEAD_CREATED") && actions.count("LEAD_UPDATED")) << doc["history"].dump();
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  expect_problem(server().as("viewer").get("/api/leads/" + id_of(lead) + "/gdpr-export"), 403);
  EXPECT_EQ(server().as("member").get("/api/leads/" + id_of(lead) + "/gdpr-export").status, 200);
  expect_problem(admin.get("/api/leads/999999/gdpr-export"), 404);
}

TEST_P(Gdpr, ErasureRemovesTheLeadAndSuppressesItsAddressForGood) {
  auto& admin = server().admin();
  auto lead = create_lead({{"email", "Forget.Me@Example.com"}, {"tags", {"vip"}}});
  auto other = create_lead({{"email", "known@example.com"}});
  auto manual = admin.post("/api/leads/suppressions", {{"email", "known@example.com"}}).json();
  std::string path = "/api/leads/" + id_of(lead);

  expect_problem(server().as("member").post(path + "/gdpr-erase", nlohmann::json::object()), 403);
  auto r = admin.post(path + "/gdpr-erase", nlohmann::json::object());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["erased"], true);
  EXPECT_EQ(r.json()["suppression_hash"], crypto::sha256_hex("forget.me@example.com"));
  expect_problem(admin.get(path), 404);
  expect_problem(admin.post(path + "/gdpr-erase", nlohmann::json::object()), 404);
  EXPECT_EQ(admin.get("/api/leads?tag=vip").json()["total"], 0);

  auto list = admin.get("/api/leads/suppressions?reason=gdpr").json();
  ASSERT_EQ(list["total"], 1);
  EXPECT_TRUE(list["items"][0]["value"].is_null());
  EXPECT_EQ(list["items"][0]["value_hash"], crypto::sha256_hex("forget.me@example.com"));

  // An address already on the list keeps only its hash after erasure.
  ASSERT_EQ(admin.post("/api/leads/" + id_of(other) + "/gdpr-erase", nlohmann::json::object()).status, 200);
  auto kept = admin.get("/api/leads/suppressions/" + id_of(manual)).json();
  EXPECT_TRUE(kept["value"].is_null());
  EXPECT_EQ(kept["value_hash"], manual["value_hash"]);

  auto erased = audit("LEAD_ERASED");
  ASSERT_GE(erased.size(), 2u);
  bool found = false;
  for (auto& e : erased) found = found || (e["resource"] == "lead/" + id_of(lead) && e["success"] == true);
  EXPECT_TRUE(found);
  // Nothing in the audit log quotes the erased address.
  auto all = admin.get("/api/admin/audit-logs?limit=200").body;
  EXPECT_EQ(all.find("forget.me@example.com"), std::string::npos);
}

TEST_P(LeadExport, StreamsEveryLeadOfAFilterAsCsv) {
  std::string csv = "email,first_name,company,tags\n";
  for (int i = 0; i < 2500; ++i)
    csv += "e" + std::to_string(i) + "@example.com,N" + std::to_string(i) + ",C," + (i % 2 ? "odd" : "even") + "\n";
  auto job = import_and_wait(csv);
  ASSERT_EQ(job["created"], 2500) << job.dump();
  create_lead({{"email", "evil@example.com"},
               {"first_name", "=HYPERLINK(\"http://x\",\"y\")"},
               {"company", "@SUM(A1)"},
               {"phone", "+1 555 0100"},
               {"tags", {"odd", "-x"}},
               {"custom_fields", {{"k", "v, \"quoted\""}}}});

  HttpClient http(server().port());
  auto all = http.get("/api/leads/export", {{"Authorization", "Bearer " + server().admin().token()}});
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(all.header("Transfer-Encoding"), "chunked");
  EXPECT_GE(http.chunks_received(), 3u);  // slices of 1,000
  EXPECT_EQ(count_lines(all.body), 2502u);
  EXPECT_TRUE(
      all.body.starts_with("id,email,first_name,last_name,company,title,phone,website,country,timezone,"
                           "status,score,owner_id,tags,custom_fields,source,created_at,updated_at"));
  EXPECT_NE(all.body.find(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), std::string::npos);
  EXPECT_NE(all.body.find(",'@SUM(A1),"), std::string::npos);
  EXPECT_NE(all.body.find(",'+1 555 0100,"), std::string::npos);
  EXPECT_NE(all.body.find(",\"odd, -x\","), std::string::npos);
  EXPECT_EQ(all.body.find(",=HYPERLINK"), std::string::npos);

  auto odd = http.get("/api/leads/export?tag=odd", {{"Authorization", "Bearer " + server().admin().token()}});
  EXPECT_EQ(count_lines(odd.body), 1252u);
  auto none = http.get("/api/leads/export?status=bounced", {{"Authorization", "Bearer " + server().admin().token()}});
  EXPECT_EQ(count_lines(none.body), 1u);
  expect_problem(server().admin().get("/api/leads/export?status=hot"), 422);
  expect_problem(server().as("viewer").get("/api/leads/export"), 403);

  // The export reads back in: every lead is found, none is new.
  auto again = import_and_wait(all.body);
  EXPECT_EQ(again["rows"], 2501);
  EXPECT_EQ(again["created"], 0);
  EXPECT_EQ(again["skipped"], 2501);
  // Formula-escaped cells read back as they were.
  auto upsert = import_and_wait(all.body, "?mode=upsert");
  EXPECT_EQ(upsert["updated"], 2501) << upsert.dump();
  auto evil = server().admin().get("/api/leads?q=evil@").json()["items"][0];
  EXPECT_EQ(evil["phone"], "+1 555 0100");
  EXPECT_EQ(evil["company"], "@SUM(A1)");
  EXPECT_EQ(evil["tags"], nlohmann::json({"odd", "-x"}));
  EXPECT_EQ(evil["custom_fields"], (nlohmann::json{{"k", "v, \"quoted\""}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, Gdpr, all_backends(), backend_test_name);
INSTANTIATE_TEST_SUITE_P(Backends, LeadExport, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
