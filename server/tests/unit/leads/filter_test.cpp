#include "leads/filter.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

namespace herald::leads {
namespace {

using storage::Backend;

std::string field_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ValidationError& e) {
    return e.errors().at(0).field;
  }
  return "";
}

std::vector<std::string> texts(const BoundSql& b) {
  std::vector<std::string> out;
  for (const auto& p : b.params) {
    if (auto* s = std::get_if<std::string_view>(&p)) out.emplace_back(*s);
  }
  return out;
}

TEST(Filter, ParsesEveryKey) {
  auto f = parse_filter({{"q", " ACME "},
                         {"status", "new,contacted"},
                         {"status", "new"},
                         {"tag", "vip, beta"},
                         {"not_tag", "churned"},
                         {"owner_id", "7"},
                         {"country", "DE"},
                         {"source", "webinar"},
                         {"created_from", "2026-01-01"},
                         {"created_to", "2026-02-01T00:00:00Z"},
                         {"score_min", "10"},
                         {"score_max", "90"},
                         {"cf.industry", "saas"},
                         {"segment_id", "3"},
                         {"page", "2"}},
                        {"page"});
  EXPECT_EQ(f.queries, (std::vector<std::string>{"acme"}));
  EXPECT_EQ(f.statuses, (std::vector<std::string>{"new", "contacted"}));
  ASSERT_EQ(f.tag_groups.size(), 1u);
  EXPECT_EQ(f.tag_groups[0], (std::vector<std::string>{"vip", "beta"}));
  EXPECT_EQ(f.not_tags, (std::vector<std::string>{"churned"}));
  EXPECT_EQ(f.owner_id, 7);
  EXPECT_EQ(f.created_from, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(f.score_min, 10);
  EXPECT_EQ(f.custom, (std::vector<std::pair<std::string, std::string>>{{"industry", "saas"}}));
  EXPECT_EQ(f.segment_id, 3);
}

TEST(Filter, BadKeysAndValuesNameTheKey) {
  EXPECT_EQ(field_of([] { parse_filter({{"colour", "red"}}); }), "colour");
  EXPECT_EQ(field_of([] { parse_filter({{"status", "new' OR 1=1 --"}}); }), "status");
  EXPECT_EQ(field_of([] { parse_filter({{"owner_id", "1; DROP TABLE leads"}}); }), "owner_id");
  EXPECT_EQ(field_of([] { parse_filter({{"created_from", "yesterday"}}); }), "created_from");
  EXPECT_EQ(field_of([] { parse_filter({{"score_min", "101"}}); }), "score_min");
  EXPECT_EQ(field_of([] { parse_filter({{"cf.a'b", "x"}}); }), "cf.a'b");
  EXPECT_EQ(field_of([] { parse_filter({{"cf.", "x"}}); }), "cf.");
  EXPECT_EQ(field_of([] { parse_filter({{"tag", "a\x01"}}); }), "tag");
  EXPECT_EQ(field_of([] { parse_filter({{"q", std::string(300, 'a')}}); }), "q");
}

TEST(Filter, InjectionAttemptsOnlyEverBecomeBoundValues) {
  const std::string evil = "x' OR '1'='1'; DROP TABLE leads; --";
  const std::string evil_tag = "x') OR 1=1 UNION SELECT password_hash FROM users --";
  EXPECT_EQ(field_of([&] { parse_filter({{"tag", evil}}); }), "tag");  // ';' is not allowed in tags
  auto f = parse_filter(
      {{"q", evil}, {"tag", evil_tag}, {"country", evil}, {"source", evil}, {"cf.note", evil}, {"not_tag", evil_tag}});
  for (auto backend : {Backend::Sqlite, Backend::Postgres}) {
    BoundSql sql(backend);
    append_conditions(f, sql);
    EXPECT_EQ(sql.sql.find("DROP"), std::string::npos) << sql.sql;
    EXPECT_EQ(sql.sql.find("UNION"), std::string::npos) << sql.sql;
    EXPECT_EQ(sql.sql.find("'1'"), std::string::npos) << sql.sql;
    EXPECT_EQ(sql.sql.find("note"), std::string::npos) << "custom keys are bound too: " << sql.sql;
    auto values = texts(sql);
    EXPECT_NE(std::find(values.begin(), values.end(), evil), values.end());
    EXPECT_NE(std::find(values.begin(), values.end(), "%x' or '1'='1'; drop table leads; --%"), values.end());
  }
}

TEST(Filter, SqlPerBackend) {
  auto f = parse_filter({{"status", "new"}, {"owner_id", "none"}, {"cf.plan", "pro"}, {"score_min", "5"}});
  BoundSql lite(Backend::Sqlite, 3);
  append_conditions(f, lite);
  EXPECT_EQ(lite.sql,
            " AND leads.status IN (?3) AND leads.owner_id IS NULL AND leads.score >= ?4 AND (CASE "
            "json_type(leads.custom_fields, ?5) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE "
            "CAST(json_extract(leads.custom_fields, ?5) AS TEXT) END) = ?6");
  EXPECT_EQ(texts(lite), (std::vector<std::string>{"new", "$.\"plan\"", "pro"}));
  BoundSql pg(Backend::Postgres);
  append_conditions(f, pg);
  EXPECT_EQ(pg.sql,
            " AND leads.status IN ($1::text) AND leads.owner_id IS NULL AND leads.score >= $2::bigint AND "
            "(leads.custom_fields ->> $3::text) = $4::text");
}

TEST(Filter, SearchPatternsEscapeLikeWildcards) { EXPECT_EQ(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%"); }

TEST(Filter, CanonicalFormIgnoresOrderAndRepetition) {
  auto a = parse_filter({{"status", "new,contacted"}, {"tag", "b,a"}});
  auto b = parse_filter({{"tag", "a"}, {"tag", "b"}, {"status", "contacted"}, {"status", "new"}});
  EXPECT_EQ(a.canonical(), b.canonical());
  EXPECT_NE(a.canonical(), parse_filter({{"status", "new"}}).canonical());
  EXPECT_TRUE(parse_filter({}).empty());
}

TEST(Filter, SegmentJsonRoundTrips) {
  auto f = parse_filter_json({{"status", {"new", "replied"}}, {"cf.industry", "saas"}, {"owner_id", "none"}});
  EXPECT_EQ(parse_filter_json(f.to_json()).canonical(), f.canonical());
  EXPECT_EQ(field_of([] { parse_filter_json({{"status", "nope"}}); }), "filter.status");
  EXPECT_EQ(field_of([] { parse_filter_json({{"segment_id", "1"}}); }), "filter.segment_id");
  EXPECT_EQ(field_of([] { parse_filter_json({{"tag", {{"a", 1}}}}); }), "filter.tag");
  EXPECT_EQ(field_of([] { parse_filter_json(nlohmann::json::array()); }), "filter");
}

TEST(Filter, MergingRequiresBoth) {
  auto f = parse_filter({{"status", "new,contacted"}, {"tag", "a"}});
  f.merge(parse_filter({{"status", "contacted,replied"}, {"tag", "b"}, {"q", "x"}}));
  EXPECT_EQ(f.statuses, (std::vector<std::string>{"contacted"}));
  EXPECT_EQ(f.tag_groups.size(), 2u);  // has a, and has b
  EXPECT_FALSE(f.impossible);
  f.merge(parse_filter({{"status", "bounced"}}));
  EXPECT_TRUE(f.impossible);
  BoundSql sql(Backend::Sqlite);
  append_conditions(f, sql);
  EXPECT_TRUE(sql.sql.starts_with(" AND 1 = 0"));
}

TEST(Filter, SortIsAnAllowList) {
  EXPECT_EQ(parse_sort(std::nullopt).order_by, "leads.id DESC");
  EXPECT_EQ(parse_sort("email").order_by, "leads.email ASC, leads.id ASC");
  EXPECT_FALSE(parse_sort("-score").by_id);
  EXPECT_EQ(field_of([] { parse_sort("email; DROP TABLE leads"); }), "sort");
  EXPECT_EQ(field_of([] { parse_sort("password_hash"); }), "sort");
}

TEST(Filter, QueryPairsDecode) {
  auto p = query_pairs("q=a%20b&status=new+x&&flag&cf.k=%3D");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0], (std::pair<std::string, std::string>{"q", "a b"}));
  EXPECT_EQ(p[1].second, "new x");
  EXPECT_EQ(p[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(p[3].second, "=");
  EXPECT_THROW(query_pairs("q=%zz"), BadRequest);
}

}  // namespace
}  // namespace herald::leads
