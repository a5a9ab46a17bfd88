// Templates over HTTP on both backends: CRUD, versions and the catalog's
// pinning, previews, validation with positions, permissions and audit.
#include "app/app.hpp"
#include "app/composition.hpp"
#include "integration/leads/leads_fixture.hpp"
#include "storage/database.hpp"
#include "support/test_databases.hpp"
#include "templates/module.hpp"

namespace herald::test {
namespace {

using Templates = LeadsTest;

const nlohmann::json kWelcome = {{"name", "Welcome"},
                                 {"subject", "Hi {{first_name|there}}"},
                                 {"html", "<p>Hello {{first_name|there}} from {{company}}</p>"}};

nlohmann::json create(ApiClient& c, nlohmann::json body = kWelcome) {
  auto r = c.post("/api/templates", body);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.json() : nlohmann::json::object();
}

// Audited requests that succeeded (failed ones are audited too).
int successes(const nlohmann::json& entries) {
  int n = 0;
  for (const auto& e : entries) n += e["success"].get<bool>() ? 1 : 0;
  return n;
}

std::string path_of(const nlohmann::json& t) { return "/api/templates/" + std::to_string(t["id"].get<std::int64_t>()); }

// The first error of a 422, as {field, message}.
nlohmann::json first_error(const HttpResponse& r) {
  EXPECT_EQ(r.status, 422) << r.body;
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("errors") || doc["errors"].empty()) return nlohmann::json::object();
  return doc["errors"][0];
}

TEST_P(Templates, CreateGetListSearchUpdateDelete) {
  auto& admin = server().admin();
  auto t = create(admin);
  EXPECT_EQ(t["version"], 1);
  EXPECT_EQ(t["name"], "Welcome");
  EXPECT_EQ(t["text_generated"], true);
  EXPECT_EQ(t["text"], "Hello {{first_name|there}} from {{company}}\n");  // generated from the HTML, tags kept
  for (auto key : {"id", "name", "subject", "html", "text", "version", "created_at", "updated_at"})
    EXPECT_TRUE(t.contains(key)) << key;
  EXPECT_EQ(admin.get(path_of(t)).json(), t);

  create(admin, {{"name", "Follow-up 100%"}, {"subject", "Following up"}, {"html", "<p>Again</p>"}});
  auto list = admin.get("/api/templates").json();
  EXPECT_EQ(list["total"], 2);
  EXPECT_EQ(list["page"], 1);
  EXPECT_EQ(list["items"][0]["name"], "Follow-up 100%");  // most recently changed first
  EXPECT_EQ(admin.get("/api/templates?q=welc").json()["total"], 1);
  EXPECT_EQ(admin.get("/api/templates?q=FOLLOW").json()["total"], 1);
  EXPECT_EQ(admin.get("/api/templates?q=100%25").json()["total"], 1);  // % is a character, not a wildcard
  EXPECT_EQ(admin.get("/api/templates?q=0%25").json()["total"], 1);
  EXPECT_EQ(admin.get("/api/templates?q=x%25").json()["total"], 0);
  EXPECT_EQ(admin.get("/api/templates?page_size=1&page=2").json()["items"][0]["name"], "Welcome");

  auto r = admin.patch(path_of(t), {{"subject", "Welcome, {{first_name|friend}}"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["version"], 2);
  EXPECT_EQ(r.json()["subject"], "Welcome, {{first_name|friend}}");
  // The same content again is no new version.
  EXPECT_EQ(admin.patch(path_of(t), {{"subject", "Welcome, {{first_name|friend}}"}}).json()["version"], 2);
  // An author's text is kept; a generated one follows the HTML.
  r = admin.patch(path_of(t), {{"html", "<p>New body</p>"}});
  EXPECT_EQ(r.json()["text"], "New body\n");
  r = admin.patch(path_of(t), {{"text", "Plain {{email}}"}});
  EXPECT_EQ(r.json()["text"], "Plain {{email}}");
  EXPECT_EQ(r.json()["text_generated"], false);
  r = admin.patch(path_of(t), {{"html", "<p>Other body</p>"}});
  EXPECT_EQ(r.json()["text"], "Plain {{email}}");
  r = admin.patch(path_of(t), {{"text", ""}});
  EXPECT_EQ(r.json()["text"], "Other body\n");
  EXPECT_EQ(r.json()["version"], 6);

  EXPECT_EQ(admin.del(path_of(t)).status, 204);
  expect_problem(admin.get(path_of(t)), 404);
  expect_problem(admin.del(path_of(t)), 404);
  expect_problem(admin.patch(path_of(t), {{"name", "x"}}), 404);
  EXPECT_EQ(admin.get("/api/templates").json()["total"], 1);

  EXPECT_EQ(successes(audit("TEMPLATE_CREATED")), 2);
  auto updated = audit("TEMPLATE_UPDATED");
  ASSERT_GE(updated.size(), 1u);
  EXPECT_EQ(updated.back()["resource"], "template/" + std::to_string(t["id"].get<std::int64_t>()));
  EXPECT_EQ(updated.back()["details"]["version"], 2);
  EXPECT_EQ(successes(audit("TEMPLATE_DELETED")), 1);  // the second delete was a 404
}

TEST_P(Templates, UnknownVariablesAreFieldErrorsWithTheirPosition) {
  auto& admin = server().admin();
  auto e = first_error(
      admin.post("/api/templates", {{"name", "Bad"}, {"subject", "Hi"}, {"html", "<p>\n  {{frist_name}}</p>"}}));
  EXPECT_EQ(e["field"], "html");
  EXPECT_EQ(e["message"], "line 2, column 3: unknown variable frist_name (did you mean first_name?)");
  e = first_error(admin.post("/api/templates", {{"name", "Bad"}, {"subject", "Hi {{nope}}"}, {"html", "<p>x</p>"}}));
  EXPECT_EQ(e["field"], "subject");
  EXPECT_NE(e["message"].get<std::string>().find("line 1, column 4"), std::string::npos) << e;
  e = first_error(admin.post("/api/templates",
                             {{"name", "Bad"}, {"subject", "Hi"}, {"html", "<p>x</p>"}, {"text", "{{#company}}"}}));
  EXPECT_EQ(e["field"], "text");
  EXPECT_EQ(admin.get("/api/templates").json()["total"], 0);  // nothing saved

  auto t = create(admin);
  e = first_error(admin.patch(path_of(t), {{"html", "{{tags}}"}}));
  EXPECT_EQ(e["field"], "html");
  EXPECT_EQ(admin.get(path_of(t)).json()["version"], 1);  // unchanged
  // The draft preview checks too.
  e = first_error(admin.post("/api/templates/preview", {{"subject", "x"}, {"html", "{{custom.bad-key}}"}}));
  EXPECT_EQ(e["field"], "html");
}

TEST_P(Templates, BadInputsNameTheField) {
  auto& admin = server().admin();
  auto fields = [&](const nlohmann::json& body) { return error_fields(admin.post("/api/templates", body)); };
  EXPECT_EQ(fields(nlohmann::json::object()), (std::set<std::string>{"name", "subject", "html"}));
  EXPECT_EQ(fields({{"name", ""}, {"subject", "s"}, {"html", "h"}}), std::set<std::string>{"name"});
  EXPECT_EQ(fields({{"name", 5}, {"subject", "s"}, {"html", "h"}}), std::set<std::string>{"name"});
  EXPECT_EQ(fields({{"name", "n"}, {"subject", "a\nb"}, {"html", "h"}}), std::set<std::string>{"subject"});
  EXPECT_EQ(fields({{"name", "n"}, {"subject", "s"}, {"html", "   "}}), std::set<std::string>{"html"});
  EXPECT_EQ(fields({{"name", std::string(201, 'n')}, {"subject", "s"}, {"html", "h"}}), std::set<std::string>{"name"});
  EXPECT_EQ(fields({{"name", "n"}, {"subject", "s"}, {"html", "h"}, {"version", 3}}), std::set<std::string>{"version"});
  expect_problem(admin.post("/api/templates", nlohmann::json::array()), 422);
  auto t = create(admin);
  EXPECT_EQ(error_fields(admin.patch(path_of(t), nlohmann::json::object())), std::set<std::string>{"body"});
  EXPECT_EQ(error_fields(admin.patch(path_of(t), {{"id", 9}})), std::set<std::string>{"id"});
  EXPECT_EQ(error_fields(admin.post(path_of(t) + "/preview", {{"lead_id", "x"}})), std::set<std::string>{"lead_id"});
  EXPECT_EQ(error_fields(admin.post(path_of(t) + "/preview", {{"lead_id", 999999}})), std::set<std::string>{"lead_id"});
  EXPECT_EQ(error_fields(admin.post(path_of(t) + "/preview", {{"lead", 1}})), std::set<std::string>{"lead"});
  EXPECT_EQ(error_fields(admin.post("/api/templates/preview", {{"html", "x"}})), std::set<std::string>{"subject"});
  expect_problem(admin.get("/api/templates/abc"), 404);
  expect_problem(admin.post("/api/templates/0/preview", nlohmann::json::object()), 404);
  expect_problem(admin.get("/api/templates?page_size=500"), 422);
}

TEST_P(Templates, PreviewRendersForALeadOrTheSample) {
  auto& admin = server().admin();
  auto lead = create_lead({{"email", "ann@example.com"},
                           {"first_name", "Ann <b>"},
                           {"company", "Acme & Co"},
                           {"custom_fields", {{"plan", "Gold"}}}});
  auto t = create(admin, {{"name", "P"},
                          {"subject", "Hi {{first_name|there}}, {{custom.plan}}"},
                          {"html", "<p>{{first_name}} at {{company}} <a href=\"{{unsubscribe_url}}\">u</a></p>"}});
  auto r = admin.post(path_of(t) + "/preview", {{"lead_id", lead["id"]}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto p = r.json();
  EXPECT_EQ(p["subject"], "Hi Ann <b>, Gold");
  EXPECT_NE(p["html"].get<std::string>().find("Ann &lt;b&gt; at Acme &amp; Co"), std::string::npos) << p;
  EXPECT_NE(p["text"].get<std::string>().find("Ann <b> at Acme & Co"), std::string::npos) << p;
  // Without a lead: the sample lead.
  p = admin.post(path_of(t) + "/preview", nlohmann::json::object()).json();
  EXPECT_EQ(p["subject"], "Hi Ada, Pro");
  // Unsaved content.
  r = admin.post("/api/templates/preview",
                 {{"subject", "{{first_name|friend}}"}, {"html", "<b>{{email}}</b>"}, {"lead_id", lead["id"]}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["subject"], "Ann <b>");
  EXPECT_EQ(r.json()["html"], "<b>ann@example.com</b>");
  EXPECT_EQ(r.json()["text"], "ann@example.com\n");
}

TEST_P(Templates, VersionsArePinnedAndOutliveTheTemplate) {
  auto& admin = server().admin();
  auto t = create(admin);
  const auto id = t["id"].get<std::int64_t>();
  admin.patch(path_of(t), {{"subject", "Second {{email}}"}});
  auto& catalog = server().server().app().composition().module<templates::Module>().catalog();
  auto current = catalog.current(id);
  ASSERT_TRUE(current);
  EXPECT_EQ(current->version, 2);
  EXPECT_EQ(current->subject, "Second {{email}}");
  EXPECT_EQ(current->text, "Hello {{first_name|there}} from {{company}}\n");
  auto v1 = catalog.version(id, 1);
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->subject, "Hi {{first_name|there}}");
  catalog.pin(id, 1);
  EXPECT_THROW(catalog.pin(id, 9), NotFound);

  EXPECT_EQ(admin.del(path_of(t)).status, 204);
  EXPECT_FALSE(catalog.current(id));
  EXPECT_TRUE(catalog.version(id, 1)) << "a pinned version outlives its template";
  EXPECT_FALSE(catalog.version(id, 2)) << "an unpinned one goes with it";
  // A new template never reuses the id.
  EXPECT_NE(create(admin)["id"], t["id"]);
}

TEST_P(Templates, Permissions) {
  auto& admin = server().admin();
  auto t = create(admin);
  auto viewer = server().as("viewer");
  EXPECT_EQ(viewer.get("/api/templates").status, 200);
  EXPECT_EQ(viewer.get(path_of(t)).status, 200);
  EXPECT_EQ(viewer.post(path_of(t) + "/preview", nlohmann::json::object()).status, 200);
  expect_problem(viewer.post("/api/templates", kWelcome), 403);
  expect_problem(viewer.patch(path_of(t), {{"name", "x"}}), 403);
  expect_problem(viewer.del(path_of(t)), 403);
  auto member = server().as("member");
  EXPECT_EQ(member.post("/api/templates", kWelcome).status, 201);
  ApiClient anonymous(server().port());
  expect_problem(anonymous.get("/api/templates"), 401);
  EXPECT_EQ(admin.get(path_of(t)).json()["name"], "Welcome");
}

INSTANTIATE_TEST_SUITE_P(Backends, Templates, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
