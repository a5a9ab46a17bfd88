// Exact counts by blocks (leads/block_counts.hpp) over HTTP on both
// backends: a segment's member_count and a list's count=exact equal
// COUNT(*) after every kind of write — one lead's status, country or tags,
// through this process or another one on the same database, leads added
// and deleted, a bulk change too large to list lead by lead — and after
// writes made concurrently with the counting.
#include <gmock/gmock.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>

#include "app/composition.hpp"
#include "integration/leads/leads_fixture.hpp"
#include "leads/block_counts.hpp"
#include "leads/filter.hpp"
#include "leads/module.hpp"

namespace herald::test {
namespace {

using SegmentCounts = LeadsTest;

std::int64_t count_star(storage::Database& db, const std::string& where) {
  std::int64_t n = -1;
  db.acquire()->execute(sql_for(db.backend(), "SELECT COUNT(*) FROM leads WHERE " + where), {},
                        [&](const storage::Row& r) { n = r.integer(0); });
  return n;
}

const std::string kNewVip = "status = 'new' AND id IN (SELECT lead_id FROM lead_tags WHERE tag = 'vip')";
const std::string kDeContacted = "country = 'DE' AND status = 'contacted'";

TEST_P(SegmentCounts, MemberCountsEqualCountStarThroughEveryKindOfWrite) {
  auto& admin = server().admin();
  // Three blocks of ids and more.
  const int n = 2 * static_cast<int>(leads::kCountBlock) + 900;
  const std::vector<std::string> statuses = {"new", "contacted", "replied", "converted"};
  const std::vector<std::string> countries = {"DE", "FR", "US"};
  std::string csv = "email,status,country,tags\n";
  for (int i = 0; i < n; ++i)
    csv += "m" + std::to_string(i) + "@example.com," + statuses[i % 4] + "," + countries[i % 3] + "," +
           (i % 7 == 0 ? "vip" : "") + "\n";
  ASSERT_EQ(import_and_wait(csv)["created"], n);
  auto common = admin.post("/api/segments", {{"name", "new vip"}, {"filter", {{"status", "new"}, {"tag", {"vip"}}}}});
  ASSERT_EQ(common.status, 201) << common.body;
  auto rare =
      admin.post("/api/segments", {{"name", "DE contacted"}, {"filter", {{"country", "DE"}, {"status", "contacted"}}}});
  ASSERT_EQ(rare.status, 201) << rare.body;
  const std::string common_url = "/api/segments/" + id_of(common.json());
  const std::string rare_url = "/api/segments/" + id_of(rare.json());
  // A second process on the same database: it learns of the writes made through the first from the change log.
  AuthedServer other(scratch().url());

  auto& database = db();
  auto check = [&](const std::string& when) {
    const std::int64_t new_vip = count_star(database, kNewVip), de_contacted = count_star(database, kDeContacted);
    for (ApiClient* c : {&admin, &other.admin()}) {
      EXPECT_EQ(c->get(common_url).json()["member_count"], new_vip) << when;
      EXPECT_EQ(c->get(rare_url).json()["member_count"], de_contacted) << when;
      auto list = c->get("/api/leads?status=new&tag=vip&count=exact").json();
      EXPECT_EQ(list["total"], new_vip) << when;
      EXPECT_EQ(list["total_is_lower_bound"], false) << when;
      auto all = c->get("/api/segments").json();
      for (const auto& s : all["items"]) {
        EXPECT_EQ(s["member_count"], s["name"] == "new vip" ? new_vip : de_contacted) << when;
      }
    }
  };
  check("after the import");
  EXPECT_EQ(admin.get(common_url).json()["member_count"], (n + 27) / 28);  // i % 4 == 0 and i % 7 == 0

  std::mt19937 rng(7);
  auto any_id = [&] { return std::to_string(1 + rng() % n); };
  for (int step = 0; step < 40; ++step) {
    ApiClient& writer = step % 2 ? admin : other.admin();
    switch (rng() % 4) {
      case 0:
        writer.patch("/api/leads/" + any_id(), {{"status", statuses[rng() % 4]}});
        break;
      case 1:
        writer.patch("/api/leads/" + any_id(), {{"country", countries[rng() % 3]}});
        break;
      case 2:
        writer.patch("/api/leads/" + any_id(), {{"tags", rng() % 2 ? nlohmann::json{"vip"} : nlohmann::json::array()}});
        break;
      default:
        writer.patch("/api/leads/" + any_id(), {{"status", "new"}, {"tags", {"vip"}}});
    }
    check("after step " + std::to_string(step));
  }
  // Leads added and deleted, and a bulk change of more leads than the log lists one by one.
  ASSERT_TRUE(create_lead({{"email", "added@example.com"}, {"status", "new"}, {"tags", {"vip"}}}).contains("id"));
  check("after a create");
  ASSERT_EQ(admin.del("/api/leads/" + any_id()).status, 204);
  check("after a delete");
  // About 1,500 leads: over the 1,000 a statement lists by lead, and not so many that the bulk
  // update itself (its triggers join the statement's old and new rows) nears the client's timeout.
  auto bulk = admin.post("/api/leads/bulk", {{"action", "set_status"},
                                             {"status", "new"},
                                             {"filter", {{"country", "FR"}, {"status", {"contacted", "replied"}}}}});
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_GT(bulk.json()["count"].get<std::int64_t>(), 1000);
  check("after a bulk change");
  ASSERT_EQ(admin.patch("/api/leads/" + any_id(), {{"status", "contacted"}, {"country", "DE"}}).status, 200);
  check("after a change following the bulk one");

  // Writers in both processes while both count.
  std::atomic<bool> stop{false};
  std::atomic<int> server_errors{0};
  auto write = [&](std::uint16_t port, const std::string& token, unsigned seed) {
    ApiClient c(port, token);
    std::mt19937 r(seed);
    for (int i = 0; i < 60; ++i) {
      auto res = c.patch("/api/leads/" + std::to_string(1 + r() % n),
                         {{"status", statuses[r() % 4]}, {"country", countries[r() % 3]}});
      if (res.status >= 500) ++server_errors;
    }
  };
  auto read = [&](std::uint16_t port, const std::string& token) {
    ApiClient c(port, token);
    while (!stop) {
      if (c.get("/api/segments").status != 200) ++server_errors;
    }
  };
  std::vector<std::thread> writers, readers;
  writers.emplace_back(write, server().port(), admin.token(), 1u);
  writers.emplace_back(write, other.port(), other.admin().token(), 2u);
  readers.emplace_back(read, server().port(), admin.token());
  readers.emplace_back(read, other.port(), other.admin().token());
  for (auto& t : writers) t.join();
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(server_errors.load(), 0);
  check("after concurrent writes");
}

// GET /api/segments answers from a rendered page while nothing changed
// (leads/segment_list_cache.hpp): a segment created, changed or deleted
// through another process, and a lead changed there, are in the next answer.
TEST_P(SegmentCounts, TheSegmentListFollowsWritesOfEveryProcess) {
  auto& admin = server().admin();
  AuthedServer other(scratch().url());
  auto names_and_counts = [](ApiClient& c) {
    auto res = c.get("/api/segments");
    EXPECT_EQ(res.status, 200) << res.body;
    const auto page = res.json();
    std::map<std::string, std::int64_t> out;
    for (const auto& s : page["items"]) out[s["name"].get<std::string>()] = s["member_count"].get<std::int64_t>();
    EXPECT_EQ(page["total"].get<std::size_t>(), out.size());
    return out;
  };
  using Counts = std::map<std::string, std::int64_t>;
  auto lead = create_lead({{"email", "one@example.com"}, {"status", "new"}});
  ASSERT_TRUE(lead.contains("id"));
  EXPECT_EQ(names_and_counts(admin), Counts{});
  auto created = other.admin().post("/api/segments", {{"name", "fresh"}, {"filter", {{"status", "new"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(names_and_counts(admin), (Counts{{"fresh", 1}}));
  EXPECT_EQ(names_and_counts(admin), (Counts{{"fresh", 1}}));  // from the rendered page
  const std::string url = "/api/segments/" + id_of(created.json());
  // GET /api/segments/{id} is kept the same way.
  auto one = [&](ApiClient& c) {
    auto res = c.get(url);
    EXPECT_EQ(res.status, 200) << res.body;
    const auto j = res.json();
    return std::make_pair(j["name"].get<std::string>(), j["member_count"].get<std::int64_t>());
  };
  EXPECT_EQ(one(admin), std::make_pair(std::string("fresh"), std::int64_t{1}));
  ASSERT_EQ(other.admin().patch(url, {{"name", "renamed"}}).status, 200);
  EXPECT_EQ(names_and_counts(admin), (Counts{{"renamed", 1}}));
  EXPECT_EQ(one(admin), std::make_pair(std::string("renamed"), std::int64_t{1}));
  ASSERT_EQ(other.admin().patch(url, {{"filter", {{"status", "contacted"}}}}).status, 200);
  EXPECT_EQ(names_and_counts(admin), (Counts{{"renamed", 0}}));
  EXPECT_EQ(one(admin), std::make_pair(std::string("renamed"), std::int64_t{0}));
  ASSERT_EQ(other.admin().patch("/api/leads/" + id_of(lead), {{"status", "contacted"}}).status, 200);
  EXPECT_EQ(names_and_counts(admin), (Counts{{"renamed", 1}}));
  EXPECT_EQ(one(admin), std::make_pair(std::string("renamed"), std::int64_t{1}));
  ASSERT_EQ(other.admin().post("/api/leads", {{"email", "two@example.com"}, {"status", "contacted"}}).status, 201);
  EXPECT_EQ(names_and_counts(admin), (Counts{{"renamed", 2}}));
  EXPECT_EQ(one(admin), std::make_pair(std::string("renamed"), std::int64_t{2}));
  ASSERT_EQ(other.admin().del(url).status, 204);
  EXPECT_EQ(names_and_counts(admin), Counts{});
  EXPECT_EQ(admin.get(url).status, 404);
  // Pages are rendered apart: a page of one segment follows the same writes.
  ASSERT_EQ(admin.post("/api/segments", {{"name", "a"}, {"filter", nlohmann::json::object()}}).status, 201);
  ASSERT_EQ(admin.post("/api/segments", {{"name", "b"}, {"filter", {{"status", "new"}}}}).status, 201);
  auto second = admin.get("/api/segments?page=2&page_size=1").json();
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["name"], "b");
  EXPECT_EQ(second["items"][0]["member_count"], 0);
  EXPECT_EQ(second["total"], 2);
  ASSERT_EQ(other.admin().patch("/api/leads/" + id_of(lead), {{"status", "new"}}).status, 200);
  second = admin.get("/api/segments?page=2&page_size=1").json();
  EXPECT_EQ(second["items"][0]["member_count"], 1);
  EXPECT_EQ(second["page"], 2);
  EXPECT_EQ(second["page_size"], 1);
}

// An API process counts every segment's members when it starts
// (leads::SegmentWarmer), so that it keeps their block counts before the
// first request asks and that request counts only the blocks changed since.
// A process serving no HTTP (a worker) does not.
TEST_P(SegmentCounts, AnApiProcessCountsEverySegmentAtStart) {
  auto& admin = server().admin();
  std::string csv = "email,status,country\n";
  for (int i = 0; i < 300; ++i)
    csv +=
        "w" + std::to_string(i) + "@example.com," + (i % 2 ? "new" : "contacted") + "," + (i % 3 ? "DE" : "FR") + "\n";
  ASSERT_EQ(import_and_wait(csv)["created"], 300);
  // More segments than the list's first page (50): those after it are counted too.
  const std::vector<std::vector<std::string>> countries = {
      {"DE"}, {"FR"}, {"US"}, {"DE", "FR"}, {"DE", "US"}, {"FR", "US"}, {"DE", "FR", "US"}};
  struct Made {
    nlohmann::json filter;
    std::string where;
  };
  std::map<std::string, Made> made;
  for (int i = 0; i < 55; ++i) {
    const auto& c = countries[static_cast<std::size_t>(i) % countries.size()];
    const std::string status = i / 7 % 2 ? "new" : "contacted";
    std::string in;
    for (const auto& one : c) in += (in.empty() ? "'" : ", '") + one + "'";
    const std::string name = "s" + std::to_string(100 + i);
    auto res = admin.post("/api/segments", {{"name", name}, {"filter", {{"country", c}, {"status", status}}}});
    ASSERT_EQ(res.status, 201) << res.body;
    made[name] = Made{res.json()["filter"], "country IN (" + in + ") AND status = '" + status + "'"};
  }
  auto task_names = [](TestServer& s) {
    std::vector<std::string> out;
    for (auto* t : s.app().composition().contributions().tasks()) out.emplace_back(t->name());
    return out;
  };
  AuthedServer other(scratch().url());
  auto& module = other.server().app().composition().module<leads::Module>();
  EXPECT_THAT(task_names(other.server()), ::testing::Contains("segment counts warm-up"));
  for (int i = 0; i < 1200 && !module.segments().warmed(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(module.segments().warmed()) << "not warmed within a minute";
  for (const auto& [name, m] : made)
    EXPECT_TRUE(module.service().exact_count_kept(leads::parse_filter_json(m.filter))) << name;
  // The kept counts are exact: the first list in that process equals COUNT(*).
  auto page = other.admin().get("/api/segments?page_size=200").json();
  ASSERT_EQ(page["items"].size(), 55u);
  for (const auto& seg : page["items"]) {
    const auto name = seg["name"].get<std::string>();
    EXPECT_EQ(seg["member_count"], count_star(db(), made.at(name).where)) << name;
  }
  // A process without HTTP (herald worker) leaves it to the API processes.
  TestServer worker({}, scratch().url(), {}, [](app::AppOptions& o) { o.http = false; });
  EXPECT_THAT(task_names(worker), ::testing::Not(::testing::Contains("segment counts warm-up")));
}

INSTANTIATE_TEST_SUITE_P(Backends, SegmentCounts, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
