// Indexed search and kept counts over HTTP on both backends: `q` answered
// through the index finds exactly what the scan finds (case, accents, `%`,
// `_`, `\`, quotes, one- and two-character queries); totals kept by the
// triggers equal COUNT(*) after concurrent creates, updates, deletes, bulk
// actions, imports, erasures and a deleted owner; other filters count up to
// the cap, and count=exact counts them all.
#include <atomic>
#include <random>
#include <set>
#include <thread>

#include "core/strings.hpp"
#include "integration/leads/leads_fixture.hpp"
#include "leads/filter.hpp"
#include "storage/migrations.hpp"

namespace herald::test {
namespace {

using SearchCounts = LeadsTest;

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string csv_cell(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Every id a list query returns, page after page (cursor), and its total.
std::pair<std::set<std::int64_t>, std::int64_t> all_ids(ApiClient& c, const std::string& query) {
  std::set<std::int64_t> ids;
  std::int64_t total = -1;
  std::string cursor;
  for (int guard = 0; guard < 1000; ++guard) {
    auto r = c.get("/api/leads?page_size=200&count=exact&" + query + cursor);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    if (r.status != 200) break;
    auto j = r.json();
    total = j["total"].get<std::int64_t>();
    EXPECT_FALSE(j["total_is_lower_bound"].get<bool>());
    for (const auto& item : j["items"]) ids.insert(item["id"].get<std::int64_t>());
    if (j["next_cursor"].is_null()) break;
    cursor = "&cursor=" + std::to_string(j["next_cursor"].get<std::int64_t>());
  }
  return {ids, total};
}

// The scan the index replaced: LIKE (SQLite) or ILIKE (PostgreSQL) on each field.
std::set<std::int64_t> scanned(storage::Database& db, const std::string& q) {
  const auto pattern = leads::contains_pattern(to_lower_ascii(trim(q)));
  const std::string like = db.backend() == storage::Backend::Sqlite ? " LIKE " : " ILIKE ";
  std::string sql = "SELECT id FROM leads WHERE";
  for (const char* field : {"email", "first_name", "last_name", "company"}) {
    if (sql.back() != 'E') sql += " OR";
    sql += std::string(" ") + field + like + "$1 ESCAPE '\\'";
  }
  std::set<std::int64_t> out;
  db.acquire()->execute(sql_for(db.backend(), sql), {std::string_view(pattern)},
                        [&](const storage::Row& r) { out.insert(r.integer(0)); });
  return out;
}

// What the scan means, written out: a field contains q, ASCII letters without case.
bool contains(const std::vector<std::string>& fields, const std::string& q) {
  auto needle = to_lower_ascii(trim(q));
  for (const auto& f : fields) {
    if (to_lower_ascii(f).find(needle) != std::string::npos) return true;
  }
  return false;
}

struct Generated {
  std::string email, first, last, company;
};

// Names with accents in both cases, characters that fold to ASCII only
// outside ASCII rules (the Kelvin sign, dotted capital I, long s), LIKE's
// wildcards and escape, quotes, and plain ones.
std::vector<Generated> generate(std::size_t n) {
  const std::vector<std::string> firsts = {"Chloé",  "CHLOÉ", "chloe",       "Élodie", "Zoë", "Søren",
                                           "Jürgen", "İlker", "\u212Aelvin", "Kelvin", "ſam", "Sam",
                                           "Ann",    "ANN",   "Bob",         "Ξένια",  "李"};
  const std::vector<std::string> lasts = {"Müller",      "MÜLLER",   "Mueller",    "O'Brien", "Straße",
                                          "STRASSE",     "van Dijk", "García",     "Nguyễn",  "Smith",
                                          "Under_Score", "Per%Cent", "Back\\Slash"};
  const std::vector<std::string> companies = {"Acme",
                                              "ACME Corp",
                                              "acmé",
                                              "50% Off Ltd",
                                              "under_score GmbH",
                                              "Quote \"Co\"",
                                              "Wonka, Inc.",
                                              "Back\\slash Inc",
                                              "Ünïcode AG",
                                              ""};
  std::mt19937 rng(20261130);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  std::vector<Generated> out;
  for (std::size_t i = 0; i < n; ++i) {
    Generated g;
    const char* locals[] = {"x", "per%cent", "under_score", "chloé", "ann.lee", "k"};
    g.email = std::string(locals[rng() % 6]) + "." + std::to_string(i) + "@" + (i % 3 ? "example.com" : "exämple.org");
    g.first = pick(firsts);
    g.last = pick(lasts);
    g.company = pick(companies);
    out.push_back(g);
  }
  return out;
}

TEST_P(SearchCounts, IndexedSearchFindsExactlyWhatTheScanFinds) {
  const auto leads = generate(1500);
  std::string csv = "email,first_name,last_name,company\n";
  for (const auto& g : leads)
    csv += csv_cell(g.email) + "," + csv_cell(g.first) + "," + csv_cell(g.last) + "," + csv_cell(g.company) + "\n";
  auto report = import_and_wait(csv);
  ASSERT_EQ(report["created"], 1500) << report.dump();

  std::vector<std::string> queries = {"acme",    "ACME",  "Acmé",   "ACMÉ",     "é",      "É",        "chloé",
                                      "CHLOÉ",   "chlo",  "%",      "_",        "50%",    "r_s",      "%c",
                                      "\\",      "\\s",   "\"co\"", "\"",       "k",      "kel",      "kelvin",
                                      "İ",       "ilker", "ſ",      "sam",      "straße", "STRASSE",  "ss",
                                      "ü",       "ÜNÏ",   "李",     "ξέν",      "o'b",    "per%cent", "under_score",
                                      "exämple", "@ex",   ".1",     "1",        "42",     "zz",       "no such thing",
                                      " acme ",  "a",     "AN",     "ann.lee.1"};
  // And pieces of the data itself, with ASCII letters' case flipped at random.
  std::mt19937 rng(7);
  for (int i = 0; i < 60; ++i) {
    const auto& g = leads[rng() % leads.size()];
    const std::string* field[] = {&g.email, &g.first, &g.last, &g.company};
    const std::string& s = *field[rng() % 4];
    if (s.empty()) continue;
    auto from = rng() % s.size();
    auto piece = s.substr(from, 1 + rng() % 8);
    while (!piece.empty() && !is_text(piece)) piece.pop_back();  // never cut a character in two
    for (auto& c : piece) {
      if (std::isalpha(static_cast<unsigned char>(c)) && rng() % 2) c = static_cast<char>(std::toupper(c));
    }
    if (!trim(piece).empty()) queries.push_back(piece);
  }

  auto& admin = server().admin();
  std::vector<std::pair<std::int64_t, std::vector<std::string>>> stored;
  db().acquire()->execute("SELECT id, email, first_name, last_name, company FROM leads", {},
                          [&](const storage::Row& r) {
                            stored.push_back({r.integer(0), {r.str(1), r.str(2), r.str(3), r.str(4)}});
                          });
  ASSERT_EQ(stored.size(), 1500u);
  for (const auto& q : queries) {
    auto [ids, total] = all_ids(admin, "q=" + url_encode(q));
    auto expected = scanned(db(), q);
    EXPECT_EQ(ids, expected) << "q=" << q;
    EXPECT_EQ(total, static_cast<std::int64_t>(expected.size())) << "q=" << q;
    // The reference, spelled out on the leads as stored (addresses are
    // normalised); PostgreSQL's test server runs under the C locale.
    std::set<std::int64_t> reference;
    for (const auto& [id, fields] : stored)
      if (contains(fields, q)) reference.insert(id);
    EXPECT_EQ(expected, reference) << "q=" << q;
    // Without count=exact the total is the same under a search's cap of
    // 1,000, and that cap with "at least" beyond it.
    auto capped = admin.get("/api/leads?q=" + url_encode(q)).json();
    const bool over = expected.size() > 1000;
    EXPECT_EQ(capped["total"], over ? 1000 : expected.size()) << "q=" << q;
    EXPECT_EQ(capped["total_is_lower_bound"], over) << "q=" << q;
  }
}

TEST_P(SearchCounts, SearchFollowsEditsAndDeletes) {
  auto& admin = server().admin();
  auto a = create_lead({{"email", "first@example.com"}, {"company", "Initech"}});
  create_lead({{"email", "second@example.com"}, {"company", "Initrode"}});
  EXPECT_EQ(admin.get("/api/leads?q=initech").json()["total"], 1);
  ASSERT_EQ(admin.patch("/api/leads/" + id_of(a), {{"company", "Globex"}}).status, 200);
  EXPECT_EQ(admin.get("/api/leads?q=initech").json()["total"], 0);
  EXPECT_EQ(admin.get("/api/leads?q=globex").json()["total"], 1);
  EXPECT_EQ(admin.get("/api/leads?q=init").json()["total"], 1);
  ASSERT_EQ(admin.patch("/api/leads/" + id_of(a), {{"email", "renamed@example.com"}}).status, 200);
  EXPECT_EQ(admin.get("/api/leads?q=renamed").json()["total"], 1);
  EXPECT_EQ(admin.get("/api/leads?q=first").json()["total"], 0);
  ASSERT_EQ(admin.del("/api/leads/" + id_of(a)).status, 204);
  EXPECT_EQ(admin.get("/api/leads?q=globex").json()["total"], 0);
  auto bulk = admin.post("/api/leads/bulk", {{"action", "delete"}, {"filter", {{"q", "INITRODE"}}}});
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(bulk.json()["count"], 1);
  EXPECT_EQ(admin.get("/api/leads").json()["total"], 0);
}

TEST_P(SearchCounts, OtherFiltersCountUpToTheCapUnlessAskedForExact) {
  const int n = 10050;
  std::string csv = "email,company,status\n";
  for (int i = 0; i < n; ++i)
    csv += "lead" + std::to_string(i) + "@example.com,Acme " + std::to_string(i % 7) + "," +
           (i < 10020 ? "new" : "replied") + "\n";
  ASSERT_EQ(import_and_wait(csv)["created"], n);
  auto& admin = server().admin();
  // Kept by the triggers: exact, whatever the size.
  auto all = admin.get("/api/leads").json();
  EXPECT_EQ(all["total"], n);
  EXPECT_EQ(all["total_is_lower_bound"], false);
  EXPECT_EQ(admin.get("/api/leads?status=new").json()["total"], 10020);
  EXPECT_EQ(admin.get("/api/leads?status=new,replied").json()["total"], n);
  // Counted: stops at the cap and says so — 10,000, or 1,000 for a search.
  auto since = admin.get("/api/leads?created_from=2000-01-01T00:00:00Z").json();
  EXPECT_EQ(since["total"], 10000);
  EXPECT_EQ(since["total_is_lower_bound"], true);
  auto search = admin.get("/api/leads?q=acme").json();
  EXPECT_EQ(search["total"], 1000);
  EXPECT_EQ(search["total_is_lower_bound"], true);
  EXPECT_EQ(search["items"].size(), 50u);
  auto exact = admin.get("/api/leads?q=acme&count=exact").json();
  EXPECT_EQ(exact["total"], n);
  EXPECT_EQ(exact["total_is_lower_bound"], false);
  auto few = admin.get("/api/leads?q=acme&status=replied").json();
  EXPECT_EQ(few["total"], 30);
  EXPECT_EQ(few["total_is_lower_bound"], false);
  auto mixed = admin.get("/api/leads?status=new&country=").json();  // an empty country is no condition
  EXPECT_EQ(mixed["total"], 10020);
  auto narrow = admin.get("/api/leads?status=new&q=acme%203").json();
  EXPECT_EQ(narrow["total"], 1000);
  EXPECT_EQ(narrow["total_is_lower_bound"], true);
  EXPECT_EQ(admin.get("/api/leads?status=new&q=acme%203&count=exact").json()["total"], 1431);
  EXPECT_EQ(admin.get("/api/leads?status=replied&q=acme%203").json()["total"], 5);
  // A status change leaves the search's cached count valid and correct.
  auto first = admin.get("/api/leads?q=lead10049").json()["items"][0];
  ASSERT_EQ(admin.patch("/api/leads/" + id_of(first), {{"status", "new"}}).status, 200);
  EXPECT_EQ(admin.get("/api/leads?q=acme&status=replied").json()["total"], 29);
  EXPECT_EQ(admin.get("/api/leads?q=acme&count=exact").json()["total"], n);

  auto bad = admin.get("/api/leads?count=all");
  expect_problem(bad, 422);
  EXPECT_EQ(error_fields(bad), std::set<std::string>{"count"});
}

// ---- counts through concurrent writes ----------------------------------------

std::int64_t count_star(storage::Database& db, const std::string& where, std::string_view param = {}) {
  std::int64_t n = -1;
  auto sql = sql_for(db.backend(), "SELECT COUNT(*) FROM leads" + where);
  if (param.empty()) {
    db.acquire()->execute(sql, {}, [&](const storage::Row& r) { n = r.integer(0); });
  } else {
    db.acquire()->execute(sql, {param}, [&](const storage::Row& r) { n = r.integer(0); });
  }
  return n;
}

TEST_P(SearchCounts, KeptTotalsEqualCountStarAfterConcurrentWrites) {
  auto& admin = server().admin();
  auto owner_a = server().create_user("owner-a@example.com", "member")["id"].get<std::int64_t>();
  auto owner_b = server().create_user("owner-b@example.com", "member")["id"].get<std::int64_t>();
  const std::vector<std::string> statuses = {"new", "contacted", "replied", "interested", "converted"};
  const std::vector<std::string> tags = {"vip", "beta", "doomed", "fair"};

  std::string csv = "email,status,tags,owner,company\n";
  for (int i = 0; i < 400; ++i)
    csv += "base" + std::to_string(i) + "@example.com," + statuses[i % 5] + ",\"" + tags[i % 4] + "," +
           tags[(i + 1) % 4] + "\"," + (i % 3 == 0 ? "" : std::to_string(i % 3 == 1 ? owner_a : owner_b)) +
           ",Base Co\n";
  ASSERT_EQ(import_and_wait(csv)["created"], 400);

  std::atomic<int> server_errors{0};
  std::atomic<int> next_email{0};
  auto worker = [&](unsigned seed) {
    ApiClient c(server().port(), admin.token());
    std::mt19937 rng(seed);
    auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
    auto owner = [&]() -> nlohmann::json {
      switch (rng() % 3) {
        case 0:
          return nullptr;
        case 1:
          return owner_a;
        default:
          return owner_b;
      }
    };
    auto some_id = [&] {
      auto page = c.get("/api/leads?page_size=20&page=" + std::to_string(1 + rng() % 5)).json();
      if (!page.contains("items") || page["items"].empty()) return std::string("1");
      return std::to_string(page["items"][rng() % page["items"].size()]["id"].get<std::int64_t>());
    };
    for (int i = 0; i < 40; ++i) {
      HttpResponse r;
      switch (rng() % 9) {
        case 0:
        case 1:
          r = c.post("/api/leads", {{"email", "new" + std::to_string(next_email++) + "@example.com"},
                                    {"status", pick(statuses)},
                                    {"owner_id", owner()},
                                    {"tags", {pick(tags), pick(tags)}},
                                    {"company", "New Co"}});
          break;
        case 2:
          r = c.patch(
              "/api/leads/" + some_id(),
              {{"status", pick(statuses)}, {"owner_id", owner()}, {"tags", {pick(tags)}}, {"company", "Moved"}});
          break;
        case 3:
          r = c.del("/api/leads/" + some_id());
          break;
        case 4:
          r = c.post("/api/leads/bulk", {{"action", "set_status"},
                                         {"status", pick(statuses)},
                                         {"filter", {{"status", pick(statuses)}, {"tag", pick(tags)}}}});
          break;
        case 5:
          r = c.post(
              "/api/leads/bulk",
              {{"action", rng() % 2 ? "tag" : "untag"}, {"tag", pick(tags)}, {"filter", {{"status", pick(statuses)}}}});
          break;
        case 6:
          r = c.post("/api/leads/bulk",
                     {{"action", "set_owner"}, {"owner_id", owner()}, {"filter", {{"q", "co"}, {"tag", pick(tags)}}}});
          break;
        case 7:
          r = c.post("/api/leads/bulk", {{"action", "delete"},
                                         {"filter", {{"tag", "doomed"}, {"status", pick(statuses)}, {"q", "base1"}}}});
          break;
        default:
          r = c.post("/api/leads/" + some_id() + "/gdpr-erase", nlohmann::json::object());
          break;
      }
      if (r.status >= 500) {
        ++server_errors;
        ADD_FAILURE() << r.status << " " << r.body;
      }
    }
  };
  auto importer = [&] {
    ApiClient c(server().port(), admin.token());
    for (int round = 0; round < 2; ++round) {
      std::string rows = "email,status,tags,company\n";
      for (int i = 0; i < 300; ++i)
        rows += "base" + std::to_string(i * 2 + round) + "@example.com," + statuses[(i + round) % 5] + ",\"" +
                tags[(i + round) % 4] + "\",Imported\n";
      HttpClient http(server().port());
      auto r = http.request("POST", "/api/leads/import?mode=upsert", rows,
                            {{"Authorization", "Bearer " + c.token()}, {"Content-Type", "text/csv"}});
      EXPECT_EQ(r.status, 202) << r.body;
      if (r.status == 202) wait_import(c, r.json()["job_id"]);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 4; ++t) threads.emplace_back(worker, 100 + t);
  threads.emplace_back(importer);
  for (auto& t : threads) t.join();
  EXPECT_EQ(server_errors.load(), 0);
  // A deleted owner's leads become unassigned by the foreign key, not by leads code.
  ASSERT_EQ(admin.del("/api/admin/users/" + std::to_string(owner_b)).status, 204);

  auto& database = db();
  auto total = [&](const std::string& query) {
    return admin.get("/api/leads?" + query).json()["total"].get<std::int64_t>();
  };
  EXPECT_EQ(total(""), count_star(database, ""));
  EXPECT_GT(count_star(database, ""), 100);
  for (const auto& s : statuses) EXPECT_EQ(total("status=" + s), count_star(database, " WHERE status = $1", s)) << s;
  EXPECT_EQ(total("status=new,replied"), count_star(database, " WHERE status IN ('new', 'replied')"));
  for (const auto& t : tags)
    EXPECT_EQ(total("tag=" + t), count_star(database, " WHERE id IN (SELECT lead_id FROM lead_tags WHERE tag = $1)", t))
        << t;
  EXPECT_EQ(total("owner_id=" + std::to_string(owner_a)),
            count_star(database, " WHERE owner_id = " + std::to_string(owner_a)));
  EXPECT_EQ(total("owner_id=" + std::to_string(owner_b)), 0);
  EXPECT_EQ(total("owner_id=none"), count_star(database, " WHERE owner_id IS NULL"));
  // The search index followed every write too.
  for (const std::string q : {"base1", "new co", "moved", "imported", "co"}) {
    EXPECT_EQ(all_ids(admin, "q=" + url_encode(q)).first, scanned(database, q)) << q;
  }
}

// ---- rendered pages kept across changes ---------------------------------------

TEST_P(SearchCounts, KeptPagesEqualFreshOnesThroughRandomWrites) {
  auto& admin = server().admin();
  // A second process on the same database that renders every page afresh.
  AuthedServer fresh(scratch().url(), [](Config& c) { c.page_cache = 0; });
  const std::vector<std::string> statuses = {"new", "contacted", "replied"};
  std::string csv = "email,status,tags,company,country\n";
  for (int i = 0; i < 260; ++i)
    csv += "p" + std::to_string(i) + "@example.com," + statuses[i % 3] + "," + (i % 4 ? "" : "vip") + "," +
           (i % 5 ? "Acme" : "Globex") + "," + (i % 2 ? "DE" : "FR") + "\n";
  ASSERT_EQ(import_and_wait(csv)["created"], 260);

  std::mt19937 rng(42);
  auto any_id = [&] {
    auto items = admin.get("/api/leads?page_size=200&page=" + std::to_string(1 + rng() % 2)).json()["items"];
    return items.empty() ? std::string("1") : id_of(items[rng() % items.size()]);
  };
  std::vector<std::string> lists = {"",
                                    "status=new",
                                    "status=contacted",
                                    "tag=vip",
                                    "q=acme",
                                    "q=globex",
                                    "country=DE",
                                    "status=new&page=2",
                                    "page=3",
                                    "status=replied&tag=vip",
                                    "page_size=10&page=7",
                                    "sort=email"};
  int compared = 0;
  for (int step = 0; step < 60; ++step) {
    // A write of some kind...
    switch (rng() % 6) {
      case 0:
        admin.patch("/api/leads/" + any_id(), {{"status", statuses[rng() % 3]}});
        break;
      case 1:
        admin.patch("/api/leads/" + any_id(), {{"company", rng() % 2 ? "Acme Two" : "Initech"}});
        break;
      case 2:
        admin.patch("/api/leads/" + any_id(), {{"tags", rng() % 2 ? nlohmann::json{"vip"} : nlohmann::json::array()}});
        break;
      case 3:
        admin.del("/api/leads/" + any_id());
        break;
      case 4:
        create_lead({{"email", "c" + std::to_string(step) + "@example.com"}, {"status", statuses[rng() % 3]}});
        break;
      default:
        admin.post("/api/leads/bulk",
                   {{"action", "set_status"}, {"status", statuses[rng() % 3]}, {"ids", {std::stoll(any_id())}}});
    }
    // ...then every list, cached where it can be, against a fresh rendering.
    for (const auto& list : lists) {
      auto kept = admin.get("/api/leads?" + list);
      auto cursor = kept.json()["next_cursor"];
      ASSERT_EQ(kept.status, 200) << list;
      EXPECT_EQ(kept.json(), fresh.admin().get("/api/leads?" + list).json()) << list << " after step " << step;
      if (!cursor.is_null()) {
        auto next = "cursor=" + std::to_string(cursor.get<std::int64_t>()) + (list.empty() ? "" : "&" + list);
        EXPECT_EQ(admin.get("/api/leads?" + next).json(), fresh.admin().get("/api/leads?" + next).json()) << next;
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 60 * static_cast<int>(lists.size()));
}

// ---- an existing database -----------------------------------------------------

TEST_P(SearchCounts, TheMigrationIndexesAndCountsExistingLeads) {
  {
    // The schema before search, with leads in it.
    auto before = scratch().open();
    std::vector<storage::Migration> older;
    for (const auto& m : storage::migrations_for(GetParam())) {
      if (m.name != "lead_search") older.push_back(m);
    }
    ASSERT_LT(older.size(), storage::migrations_for(GetParam()).size());
    storage::migrate(*before, older);
    auto conn = before->acquire();
    for (int i = 1; i <= 300; ++i) {
      auto email = "old" + std::to_string(i) + "@example.com";
      auto company = i % 3 ? std::string("Acme") : std::string("Per%Cent_Co");
      const std::string status = i % 4 ? "new" : "replied";
      conn->execute(sql_for(GetParam(),
                            "INSERT INTO leads (email, company, status, created_at, updated_at) "
                            "VALUES ($1, $2, $3, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"),
                    {std::string_view(email), std::string_view(company), std::string_view(status)});
      if (i % 5 == 0)
        conn->execute(sql_for(GetParam(), "INSERT INTO lead_tags (lead_id, tag) VALUES ($1, 'vip')"),
                      {std::int64_t{i}});
    }
  }
  auto& admin = server().admin();  // starts the server, which applies the rest
  EXPECT_EQ(admin.get("/api/leads").json()["total"], 300);
  EXPECT_EQ(admin.get("/api/leads?status=replied").json()["total"], 75);
  EXPECT_EQ(admin.get("/api/leads?tag=vip").json()["total"], 60);
  for (const std::string q : {"acme", "cent_co", "%c", "old1", "old29", "ol"})
    EXPECT_EQ(all_ids(admin, "q=" + url_encode(q)).first, scanned(db(), q)) << q;
  EXPECT_EQ(all_ids(admin, "q=cent_co").first.size(), 100u);
  // And the triggers carry on from there.
  create_lead({{"email", "new@example.com"}, {"company", "Acme"}, {"status", "replied"}});
  EXPECT_EQ(admin.get("/api/leads?status=replied").json()["total"], 76);
  EXPECT_EQ(all_ids(admin, "q=acme").first, scanned(db(), "acme"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SearchCounts, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
