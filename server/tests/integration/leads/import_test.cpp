// CSV import over HTTP on both backends: the upload (raw and multipart),
// CSV quirks, modes, mapping, lists, file problems, limits, permissions and
// the per-row report.
#include "integration/leads/leads_fixture.hpp"

namespace herald::test {
namespace {

using LeadImport = LeadsTest;

std::string multipart(const std::string& boundary, const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::string& filename, const std::string& csv) {
  std::string body;
  for (const auto& [name, value] : fields)
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
          "\"\r\nContent-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
  return body;
}

TEST_P(LeadImport, ACsvWithEveryQuirk) {
  // BOM, ';' delimiter, CRLF, quoted delimiters, quotes and line breaks,
  // a duplicate, an invalid address, a short row, and an unterminated quote.
  std::string csv =
      "\xEF\xBB\xBF"
      "E-mail;First Name;Company Name;Notes\r\n"
      "ann@example.com;Ann;\"Acme; Inc\";\"said \"\"hi\"\"\r\non two lines\"\r\n"
      "BOB@example.com;Bob;Beta;\r\n"
      "\r\n"
      "not-an-address;X;Y;Z\r\n"
      "ann@example.com;Ann again;;\r\n"
      "carol@example.com;Carol\r\n"
      "dave@example.com;Dave;Delta;ok\r\n"
      "erin@example.com;\"Erin;never closed\r\n";
  auto job = import_and_wait(csv);
  EXPECT_EQ(job["status"], "completed") << job.dump();
  EXPECT_EQ(job["rows"], 7);
  EXPECT_EQ(job["created"], 3);
  EXPECT_EQ(job["skipped"], 1);
  EXPECT_EQ(job["failed"], 3);
  EXPECT_EQ(job["percent"], 100);
  std::map<int, std::string> errors;
  for (auto& e : job["errors"]) errors[e["line"].get<int>()] = e["reason"].get<std::string>();
  EXPECT_EQ(errors[6], "email: is not a valid email address");
  EXPECT_EQ(errors[7], "email: duplicate of line 2");
  EXPECT_EQ(errors[8], "has 2 fields where the header has 4");
  EXPECT_NE(errors[10].find("never closed"), std::string::npos) << errors[10];

  auto& admin = server().admin();
  auto ann = admin.get("/api/leads?q=ann@").json()["items"][0];
  EXPECT_EQ(ann["first_name"], "Ann");
  EXPECT_EQ(ann["company"], "Acme; Inc");
  EXPECT_EQ(ann["custom_fields"]["notes"], "said \"hi\"\r\non two lines");
  EXPECT_EQ(ann["source"], "import");
  EXPECT_EQ(admin.get("/api/leads?q=bob@example.com").json()["total"], 1);

  HttpClient http(server().port());
  auto report = http.get("/api/leads/import/" + job["job_id"].get<std::string>() + "/errors",
                         {{"Authorization", "Bearer " + admin.token()}});
  ASSERT_EQ(report.status, 200);
  EXPECT_TRUE(report.body.starts_with("line,kind,reason\r\n6,failed,email: is not a valid email address\r\n"))
      << report.body;
  EXPECT_NE(report.body.find("7,skipped,email: duplicate of line 2"), std::string::npos);
}

TEST_P(LeadImport, BrowsersSendAMultipartForm) {
  auto& admin = server().admin();
  create_lead({{"email", "old@example.com"}, {"first_name", "Old"}, {"company", "Keep"}});
  std::string csv = "email,first_name,company\nold@example.com,New,\nfresh@example.com,Fresh,F\n";
  HttpClient http(server().port());
  auto r = http.request(
      "POST", "/api/leads/import", multipart("XyZ", {{"mode", "upsert"}, {"tag", "form"}}, "l.csv", csv),
      {{"Authorization", "Bearer " + admin.token()}, {"Content-Type", "multipart/form-data; boundary=XyZ"}});
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_TRUE(r.header("Location").has_value());
  auto job = wait_import(admin, r.json()["job_id"]);
  EXPECT_EQ(job["created"], 1);
  EXPECT_EQ(job["updated"], 1);
  EXPECT_EQ(job["mode"], "upsert");
  EXPECT_EQ(job["filename"], "l.csv");
  auto old = admin.get("/api/leads?q=old@").json()["items"][0];
  EXPECT_EQ(old["first_name"], "New");
  EXPECT_EQ(old["company"], "Keep");  // an empty cell changes nothing
  EXPECT_EQ(old["tags"], nlohmann::json({"form"}));
  EXPECT_EQ(admin.get("/api/leads?tag=form").json()["total"], 2);

  auto no_file = http.request(
      "POST", "/api/leads/import", "--b\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nupsert\r\n--b--\r\n",
      {{"Authorization", "Bearer " + admin.token()}, {"Content-Type", "multipart/form-data; boundary=b"}});
  expect_problem(no_file, 422);
  EXPECT_EQ(error_fields(no_file), std::set<std::string>{"file"});
}

TEST_P(LeadImport, ModesMappingListsAndOwners) {
  auto& admin = server().admin();
  auto seller = server().create_user("seller@example.com", "member");
  create_lead({{"email", "exists@example.com"}, {"first_name", "Before"}});

  auto created_only = import_and_wait("email,first_name\nexists@example.com,After\nnew1@example.com,N\n");
  EXPECT_EQ(created_only["created"], 1);
  EXPECT_EQ(created_only["skipped"], 1);
  EXPECT_EQ(created_only["errors"][0]["reason"], "email: a lead with this address already exists (mode create_only)");
  EXPECT_EQ(admin.get("/api/leads?q=exists@").json()["items"][0]["first_name"], "Before");

  auto update_only =
      import_and_wait("email,first_name\nexists@example.com,After\nnew2@example.com,N\n", "?mode=update_only");
  EXPECT_EQ(update_only["updated"], 1);
  EXPECT_EQ(update_only["skipped"], 1);
  EXPECT_EQ(admin.get("/api/leads?q=exists@").json()["items"][0]["first_name"], "After");
  EXPECT_EQ(admin.get("/api/leads?q=new2@").json()["total"], 0);

  // An explicit mapping, a custom column, owners by email, a list.
  std::string mapping = "%7B%22Contact%22%3A%22email%22%2C%22Who%22%3A%22owner%22%2C%22Skip%22%3A%22ignore%22%7D";
  auto mapped = import_and_wait(
      "Contact,Who,Skip,Lead Source Detail\nm1@example.com,seller@example.com,x,fair\n"
      "m2@example.com,nobody@example.com,y,web\n",
      "?mapping=" + mapping + "&list=Fair%202026&tag=mapped");
  EXPECT_EQ(mapped["created"], 1) << mapped.dump();
  EXPECT_EQ(mapped["failed"], 1);
  EXPECT_EQ(mapped["errors"][0]["reason"], "owner: no user with this email or id");
  auto m1 = admin.get("/api/leads?q=m1@").json()["items"][0];
  EXPECT_EQ(m1["owner_id"], seller["id"]);
  EXPECT_EQ(m1["custom_fields"], (nlohmann::json{{"lead_source_detail", "fair"}}));
  EXPECT_EQ(m1["tags"], nlohmann::json({"mapped", "Fair 2026"}));
  auto segments = admin.get("/api/segments").json();
  ASSERT_EQ(segments["total"], 1);
  EXPECT_EQ(segments["items"][0]["name"], "Fair 2026");
  EXPECT_EQ(segments["items"][0]["member_count"], 1);
}

TEST_P(LeadImport, FileProblemsFailTheImportBeforeAnyRow) {
  auto no_email = import_and_wait("name,company\nAnn,Acme\n");
  EXPECT_EQ(no_email["status"], "failed");
  EXPECT_NE(no_email["error"].get<std::string>().find("no column holds the email"), std::string::npos);
  EXPECT_EQ(no_email["created"], 0);
  auto missing = import_and_wait("email\na@example.com\n", "?mapping=%7B%22Nope%22%3A%22company%22%7D");
  EXPECT_EQ(missing["status"], "failed");
  EXPECT_NE(missing["error"].get<std::string>().find("'Nope'"), std::string::npos);
  auto header_only = import_and_wait("email,first_name\r\n");
  EXPECT_EQ(header_only["status"], "completed");
  EXPECT_EQ(header_only["rows"], 0);
  EXPECT_EQ(server().admin().get("/api/leads").json()["total"], 0);
}

TEST_P(LeadImport, RequestsAreCheckedBeforeTheUpload) {
  auto& admin = server().admin();
  auto fields = [&](const std::string& query, const std::string& body = "email\na@b.io\n") {
    auto r = upload(admin, body, query);
    EXPECT_EQ(r.status, 422) << query << ": " << r.body;
    return error_fields(r);
  };
  EXPECT_EQ(fields("?mode=merge"), std::set<std::string>{"mode"});
  EXPECT_EQ(fields("?mapping=%5B1%5D"), std::set<std::string>{"mapping"});
  EXPECT_EQ(fields("?tag=a%3Bb"), std::set<std::string>{"tag"});
  EXPECT_EQ(fields("?list=" + std::string(70, 'x')), std::set<std::string>{"list"});
  EXPECT_EQ(fields("", ""), std::set<std::string>{"file"});
  expect_problem(upload(admin, "{}", "", "application/json"), 415);
  expect_problem(upload(admin, "x", "", "multipart/form-data"), 400);
  expect_problem(admin.get("/api/leads/import/999999"), 404);
  expect_problem(admin.get("/api/leads/import/abc"), 404);

  auto viewer = server().as("viewer");
  expect_problem(upload(viewer, "email\na@b.io\n"), 403);
  auto member = server().as("member");
  auto ok = upload(member, "email\nmember@example.com\n");
  ASSERT_EQ(ok.status, 202) << ok.body;
  auto job = wait_import(member, ok.json()["job_id"]);
  EXPECT_EQ(job["created"], 1);
  expect_problem(viewer.get("/api/leads/import/" + job["job_id"].get<std::string>()), 403);
  expect_problem(viewer.get("/api/leads/import/" + job["job_id"].get<std::string>() + "/errors"), 403);
  expect_problem(admin.get("/api/leads/import/999999/errors"), 404);

  auto started = audit("LEAD_IMPORT_STARTED");
  bool found = false;
  for (auto& e : started) {
    if (e["success"] == true && e["resource"] == "lead_import/" + job["job_id"].get<std::string>()) {
      found = true;
      EXPECT_EQ(e["actor"], "member@example.com");
      EXPECT_GT(e["details"]["bytes"].get<int>(), 0);
    }
  }
  EXPECT_TRUE(found) << started.dump();
  EXPECT_FALSE(audit("PERMISSION_DENIED").empty());
}

TEST_P(LeadImport, UploadsBeyondHeraldMaxImportAreRefused) {
  server([](Config& c) { c.max_import = 4096; });
  std::string csv = "email\n";
  while (csv.size() < 10000) csv += "someone" + std::to_string(csv.size()) + "@example.com\n";
  auto r = upload(server().admin(), csv);
  expect_problem(r, 413);
  std::string small = "email\na@example.com\n";
  EXPECT_EQ(upload(server().admin(), small).status, 202);
}

TEST_P(LeadImport, ManyRowsAcrossBatches) {
  std::string csv = "email,first_name,score\n";
  for (int i = 0; i < 12000; ++i) {
    csv +=
        "p" + std::to_string(i) + "@example.com,\"Name " + std::to_string(i) + "\"," + std::to_string(i % 101) + "\n";
    if (i % 1000 == 999) csv += "p" + std::to_string(i - 500) + "@example.com,dup,1\n";
  }
  auto job = import_and_wait(csv);
  EXPECT_EQ(job["status"], "completed");
  EXPECT_EQ(job["created"], 12000);
  EXPECT_EQ(job["skipped"], 12);
  EXPECT_EQ(job["rows"], 12012);
  EXPECT_EQ(server().admin().get("/api/leads").json()["total"], 12000);
  EXPECT_EQ(server().admin().get("/api/leads?score_min=100").json()["total"], 118);
}

INSTANTIATE_TEST_SUITE_P(Backends, LeadImport, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
