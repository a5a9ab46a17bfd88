#include "core/log.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace herald::log {
namespace {

TEST(Log, JsonLinesCarryTheRequestIdAndFields) {
  auto line = format_line(Format::Json, Level::Info, "request", {{"status", 200}, {"path", "/api/x \"y\""}}, "req-1",
                          "2026-11-25T00:00:00.000Z");
  auto doc = nlohmann::json::parse(line);
  EXPECT_EQ(doc["msg"], "request");
  EXPECT_EQ(doc["request_id"], "req-1");
  EXPECT_EQ(doc["status"], 200);
  EXPECT_EQ(doc["path"], "/api/x \"y\"");
  EXPECT_EQ(doc["level"], "info");
}

TEST(Log, TextLinesAreReadable) {
  auto line = format_line(Format::Text, Level::Warn, "slow", {{"ms", 12.5}, {"path", "/a b"}}, "req-2",
                          "2026-11-25T00:00:00.000Z");
  EXPECT_EQ(line, "2026-11-25T00:00:00.000Z warn  slow ms=12.500 path=\"/a b\" request_id=req-2");
}

TEST(Log, RequestScopeSetsAndRestoresTheId) {
  EXPECT_EQ(current_request_id(), "");
  {
    RequestScope outer("a");
    EXPECT_EQ(current_request_id(), "a");
    {
      RequestScope inner("b");
      EXPECT_EQ(current_request_id(), "b");
    }
    EXPECT_EQ(current_request_id(), "a");
  }
  EXPECT_EQ(current_request_id(), "");
}

TEST(Log, ControlCharactersCannotForgeLines) {
  auto line = format_line(Format::Json, Level::Info, "x", {{"path", "/a\n{\"level\":\"error\"}"}}, "", "t");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

// Lines are written at warn and error: a test server in the same binary may
// have raised the level to warn.
TEST(Log, JsonValuesWithBackslashesDeleteAndNonAsciiRoundTrip) {
  for (std::string v : {"/plain/path?x=1&y=2", "a\\b", "del\x7f", "caf\xc3\xa9 \"q\"", "bad\xff utf-8"}) {
    auto line = format_line(Format::Json, Level::Info, "x", {{"v", std::string_view(v)}}, "", "t");
    auto doc = nlohmann::json::parse(line);
    if (v == "bad\xff utf-8")
      EXPECT_EQ(doc["v"], "bad\xef\xbf\xbd utf-8");  // replaced, still one valid line
    else
      EXPECT_EQ(doc["v"], v) << line;
  }
}

TEST(Log, LinesOfAScopeBecomeItsBreadcrumbs) {
  Breadcrumbs crumbs;
  {
    RequestScope scope("req-9", &crumbs);
    error("lead refused", {{"id", 42}, {"by", "a b"}});
    warn("slow query", {{"ms", 12.5}});
    EXPECT_EQ(current_breadcrumbs(), &crumbs);
  }
  warn("outside any scope");
  EXPECT_EQ(current_breadcrumbs(), nullptr);
  const auto entries = crumbs.entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].message, "lead refused id=42 by=\"a b\"");
  EXPECT_EQ(entries[0].level, Level::Error);
  EXPECT_EQ(entries[1].message, "slow query ms=12.500");
  EXPECT_EQ(entries[1].level, Level::Warn);
  EXPECT_LE(entries[0].time, entries[1].time);
}

TEST(Log, NestedScopeOfTheSameRequestKeepsCollecting) {
  Breadcrumbs crumbs;
  RequestScope outer("req-1", &crumbs);
  {
    RequestScope same("req-1");
    warn("inner line");
  }
  {
    RequestScope other("job-7");
    warn("another unit of work");
    EXPECT_EQ(current_breadcrumbs(), nullptr);
  }
  warn("outer line");
  const auto entries = crumbs.entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].message, "inner line");
  EXPECT_EQ(entries[1].message, "outer line");
}

TEST(Log, BreadcrumbsKeepTheNewestLinesAndCutLongOnes) {
  Breadcrumbs crumbs(3);
  const auto t = std::chrono::system_clock::now();
  for (int i = 0; i < 5; ++i) crumbs.add(t, Level::Info, "line " + std::to_string(i), {});
  auto entries = crumbs.entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].message, "line 2");
  EXPECT_EQ(entries[2].message, "line 4");
  EXPECT_EQ(crumbs.dropped(), 2u);

  // 1,023 ASCII bytes then a two-byte character: cut before it, not inside it.
  Breadcrumbs one(1);
  one.add(t, Level::Error, std::string(Breadcrumbs::kMaxBreadcrumbBytes - 1, 'x') + "\u00e9tail", {});
  EXPECT_EQ(one.entries()[0].message, std::string(Breadcrumbs::kMaxBreadcrumbBytes - 1, 'x'));
}

TEST(Log, LinesBelowTheLevelAreNotBreadcrumbs) {
  Breadcrumbs crumbs;
  RequestScope scope("req-2", &crumbs);
  debug("not logged at info or warn level");
  EXPECT_TRUE(crumbs.entries().empty());
}

}  // namespace
}  // namespace herald::log
