// Bulk actions, segments and the suppression list over HTTP on both backends.
#include "integration/leads/leads_fixture.hpp"

namespace herald::test {
namespace {

using LeadBulk = LeadsTest;
using Segments = LeadsTest;
using Suppressions = LeadsTest;

std::vector<std::string> seed(LeadsTest& t, int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) {
    auto lead = t.create_lead({{"email", "b" + std::to_string(i) + "@example.com"},
                               {"status", i < n / 2 ? "new" : "contacted"},
                               {"tags", i % 2 ? nlohmann::json({"odd"}) : nlohmann::json::array()}});
    ids.push_back(std::to_string(lead["id"].get<std::int64_t>()));
  }
  return ids;
}

TEST_P(LeadBulk, TagUntagStatusOwnerAndDelete) {
  auto& admin = server().admin();
  auto ids = seed(*this, 10);
  auto bulk = [&](nlohmann::json body) {
    auto r = admin.post("/api/leads/bulk", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json()["count"].get<int>() : -1;
  };
  EXPECT_EQ(bulk({{"action", "tag"}, {"tag", "q3"}, {"filter", {{"status", "new"}}}}), 5);
  EXPECT_EQ(bulk({{"action", "tag"}, {"tag", "q3"}, {"filter", nlohmann::json::object()}}), 5);  // only the rest
  EXPECT_EQ(admin.get("/api/leads?tag=q3").json()["total"], 10);
  auto one = admin.get("/api/leads/" + ids[1]).json();
  EXPECT_EQ(one["tags"], nlohmann::json({"odd", "q3"}));

  EXPECT_EQ(bulk({{"action", "untag"}, {"tag", "q3"}, {"ids", {std::stoll(ids[0]), std::stoll(ids[1])}}}), 2);
  EXPECT_EQ(admin.get("/api/leads?tag=q3").json()["total"], 8);
  EXPECT_EQ(admin.get("/api/leads/" + ids[1]).json()["tags"], nlohmann::json({"odd"}));

  EXPECT_EQ(bulk({{"action", "set_status"}, {"status", "replied"}, {"filter", {{"tag", "odd"}}}}), 5);
  EXPECT_EQ(admin.get("/api/leads?status=replied").json()["total"], 5);

  auto owner = server().create_user("owner@example.com", "member");
  EXPECT_EQ(bulk({{"action", "set_owner"}, {"owner_id", owner["id"]}, {"filter", {{"status", "replied"}}}}), 5);
  EXPECT_EQ(admin.get("/api/leads?owner_id=" + id_of(owner)).json()["total"], 5);
  EXPECT_EQ(bulk({{"action", "set_owner"}, {"owner_id", nullptr}, {"ids", {std::stoll(ids[1])}}}), 1);

  EXPECT_EQ(bulk({{"action", "delete"}, {"filter", {{"status", "replied"}, {"not_tag", "q3"}}}}), 1);
  EXPECT_EQ(admin.get("/api/leads").json()["total"], 9);

  auto updated = audit("LEADS_BULK_UPDATED");
  ASSERT_EQ(updated.size(), 6u);
  EXPECT_EQ(updated.back()["details"]["action"], "tag");
  EXPECT_EQ(updated.back()["details"]["count"], 5);
  EXPECT_EQ(updated.back()["details"]["selection"], "filter");
  auto deleted = audit("LEADS_BULK_DELETED");
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0]["details"]["count"], 1);
}

TEST_P(LeadBulk, ValidationAndPermissions) {
  auto& admin = server().admin();
  seed(*this, 2);
  auto fields = [&](nlohmann::json body) {
    auto r = admin.post("/api/leads/bulk", body);
    EXPECT_EQ(r.status, 422) << r.body;
    return error_fields(r);
  };
  EXPECT_EQ(fields({{"action", "explode"}, {"ids", {1}}}), std::set<std::string>{"action"});
  EXPECT_EQ(fields({{"action", "tag"}, {"ids", {1}}}), std::set<std::string>{"tag"});
  EXPECT_EQ(fields({{"action", "set_status"}, {"status", "hot"}, {"ids", {1}}}), std::set<std::string>{"status"});
  EXPECT_EQ(fields({{"action", "delete"}}), std::set<std::string>{"ids"});
  EXPECT_EQ(fields({{"action", "delete"}, {"ids", {1}}, {"filter", nlohmann::json::object()}}),
            std::set<std::string>{"ids"});
  EXPECT_EQ(fields({{"action", "delete"}, {"filter", {{"status", "hot"}}}}), std::set<std::string>{"filter.status"});
  EXPECT_EQ(fields({{"action", "delete"}, {"ids", {"1; DROP TABLE leads"}}}), std::set<std::string>{"ids"});
  expect_problem(admin.post("/api/leads/bulk", {{"action", "set_owner"}, {"owner_id", 424242}, {"ids", {1}}}), 422);

  auto member = server().as("member");
  EXPECT_EQ(member.post("/api/leads/bulk", {{"action", "tag"}, {"tag", "m"}, {"ids", {1}}}).status, 200);
  expect_problem(member.post("/api/leads/bulk", {{"action", "delete"}, {"filter", nlohmann::json::object()}}), 403);
  EXPECT_EQ(admin.get("/api/leads").json()["total"], 2);
  expect_problem(server().as("viewer").post("/api/leads/bulk", {{"action", "tag"}, {"tag", "v"}, {"ids", {1}}}), 403);
  auto denied = audit("PERMISSION_DENIED");
  ASSERT_GE(denied.size(), 2u);
}

TEST_P(Segments, CrudWithLiveMemberCounts) {
  auto& admin = server().admin();
  seed(*this, 6);
  auto r = admin.post("/api/segments", {{"name", "Odd ones"},
                                        {"description", "tagged odd"},
                                        {"filter", {{"tag", "odd"}, {"status", {"new", "contacted"}}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto seg = r.json();
  EXPECT_EQ(seg["member_count"], 3);
  EXPECT_EQ(seg["filter"]["tag"], "odd");
  std::string path = "/api/segments/" + id_of(seg);

  create_lead({{"email", "late@example.com"}, {"tags", {"odd"}}});
  EXPECT_EQ(admin.get(path).json()["member_count"], 4);
  EXPECT_EQ(admin.get("/api/leads?segment_id=" + id_of(seg)).json()["total"], 4);
  EXPECT_EQ(admin.get("/api/leads?segment_id=" + id_of(seg) + "&status=new").json()["total"], 2);
  EXPECT_EQ(admin.get("/api/leads?segment_id=" + id_of(seg) + "&status=replied").json()["total"], 0);

  auto patched = admin.patch(path, {{"filter", {{"tag", "odd"}, {"status", "contacted"}}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["member_count"], 2);
  EXPECT_EQ(admin.patch(path, {{"name", "Renamed"}}).json()["name"], "Renamed");

  auto list = admin.get("/api/segments").json();
  EXPECT_EQ(list["total"], 1);
  EXPECT_EQ(list["items"][0]["member_count"], 2);

  expect_problem(admin.post("/api/segments", {{"name", "Renamed"}, {"filter", nlohmann::json::object()}}), 409);
  auto bad = admin.post("/api/segments", {{"name", ""}, {"filter", {{"status", "hot"}}}});
  expect_problem(bad, 422);
  EXPECT_EQ(error_fields(bad), (std::set<std::string>{"name", "filter.status"}));
  EXPECT_EQ(error_fields(admin.post("/api/segments", {{"name", "x"}, {"filter", {{"cf.a b", "x"}}}})),
            std::set<std::string>{"filter.cf.a b"});
  EXPECT_EQ(error_fields(admin.post("/api/segments", {{"name", "x"}})), std::set<std::string>{"filter"});
  EXPECT_EQ(error_fields(admin.post("/api/segments", {{"name", "x"}, {"filter", {{"segment_id", "1"}}}})),
            std::set<std::string>{"filter.segment_id"});
  expect_problem(admin.get("/api/leads?segment_id=999"), 422);

  expect_problem(server().as("viewer").post("/api/segments", {{"name", "v"}, {"filter", nlohmann::json::object()}}),
                 403);
  EXPECT_EQ(server().as("viewer").get(path).status, 200);
  EXPECT_EQ(admin.del(path).status, 204);
  expect_problem(admin.get(path), 404);
  EXPECT_EQ(admin.get("/api/leads").json()["total"], 7);  // the leads stay

  EXPECT_EQ(audit("SEGMENT_CREATED").size(), 6u);  // one created, five refused
  auto updated = audit("SEGMENT_UPDATED");
  ASSERT_EQ(updated.size(), 2u);
  EXPECT_EQ(updated[0]["details"]["changed"], nlohmann::json({"name"}));
  ASSERT_EQ(audit("SEGMENT_DELETED").size(), 1u);
  EXPECT_EQ(audit("SEGMENT_DELETED")[0]["resource"], "segment/" + id_of(seg));
}

TEST_P(Suppressions, AddressesAndDomains) {
  auto& admin = server().admin();
  auto r = admin.post("/api/leads/suppressions", {{"email", "No.Mail@Example.com"}, {"note", "asked by phone"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto s = r.json();
  EXPECT_EQ(s["kind"], "email");
  EXPECT_EQ(s["value"], "no.mail@example.com");
  EXPECT_EQ(s["reason"], "manual");
  EXPECT_EQ(s["value_hash"].get<std::string>().size(), 64u);
  auto d = admin.post("/api/leads/suppressions", {{"domain", "@Competitor.example"}, {"reason", "complaint"}});
  ASSERT_EQ(d.status, 201) << d.body;
  EXPECT_EQ(d.json()["value"], "competitor.example");

  expect_problem(admin.post("/api/leads/suppressions", {{"email", "no.mail@example.com"}}), 409);
  EXPECT_EQ(error_fields(admin.post("/api/leads/suppressions", {{"email", "x"}})), std::set<std::string>{"email"});
  EXPECT_EQ(error_fields(admin.post("/api/leads/suppressions", {{"domain", "not a domain"}})),
            std::set<std::string>{"domain"});
  EXPECT_EQ(error_fields(admin.post("/api/leads/suppressions", {{"email", "a@b.io"}, {"reason", "gdpr"}})),
            std::set<std::string>{"reason"});
  EXPECT_EQ(error_fields(admin.post("/api/leads/suppressions", nlohmann::json::object())),
            std::set<std::string>{"email"});

  EXPECT_EQ(admin.get("/api/leads/suppressions").json()["total"], 2);
  EXPECT_EQ(admin.get("/api/leads/suppressions?kind=domain").json()["total"], 1);
  EXPECT_EQ(admin.get("/api/leads/suppressions?q=no.mail").json()["total"], 1);
  EXPECT_EQ(admin.get("/api/leads/suppressions/" + id_of(s)).json()["note"], "asked by phone");

  auto patched = admin.patch("/api/leads/suppressions/" + id_of(s), {{"reason", "unsubscribe"}, {"note", "by mail"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["reason"], "unsubscribe");
  EXPECT_EQ(patched.json()["value"], "no.mail@example.com");
  EXPECT_EQ(error_fields(admin.patch("/api/leads/suppressions/" + id_of(s), {{"email", "x@y.io"}, {"reason", "x"}})),
            (std::set<std::string>{"email", "reason"}));
  expect_problem(admin.patch("/api/leads/suppressions/999999", {{"note", "x"}}), 404);
  auto suppression_updated = audit("SUPPRESSION_UPDATED");
  ASSERT_EQ(suppression_updated.size(), 3u);
  EXPECT_EQ(suppression_updated.back()["resource"], "suppression/" + id_of(s));

  auto viewer = server().as("viewer");
  EXPECT_EQ(viewer.get("/api/leads/suppressions").status, 200);
  expect_problem(viewer.patch("/api/leads/suppressions/" + id_of(s), {{"note", "v"}}), 403);
  expect_problem(viewer.post("/api/leads/suppressions", {{"email", "v@example.com"}}), 403);
  expect_problem(viewer.del("/api/leads/suppressions/" + id_of(s)), 403);
  EXPECT_EQ(admin.del("/api/leads/suppressions/" + id_of(s)).status, 204);
  expect_problem(admin.get("/api/leads/suppressions/" + id_of(s)), 404);

  ASSERT_EQ(audit("SUPPRESSION_CREATED").size(), 7u);  // two added, five refused
  EXPECT_EQ(audit("SUPPRESSION_DELETED").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, LeadBulk, all_backends(), backend_test_name);
INSTANTIATE_TEST_SUITE_P(Backends, Segments, all_backends(), backend_test_name);
INSTANTIATE_TEST_SUITE_P(Backends, Suppressions, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
