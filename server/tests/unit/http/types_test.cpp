#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "core/errors.hpp"
#include "http/problem.hpp"
#include "http/static_files.hpp"
#include "http/types.hpp"

namespace herald::http {
namespace {

TEST(Request, QueryParametersAreDecoded) {
  Request r;
  r.query = "q=a%20b+c&page=2&flag&bad=%zz";
  EXPECT_EQ(r.query_param("q"), "a b c");
  EXPECT_EQ(r.query_param("page"), "2");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_EQ(r.query_param("missing"), std::nullopt);
  EXPECT_THROW(r.query_param("bad"), BadRequest);
}

TEST(Request, JsonErrorsAreBadRequests) {
  Request r;
  r.headers.add("Content-Type", "application/json");
  r.body = R"({"a":1})";
  EXPECT_EQ(r.json()["a"], 1);
  r.body = "{";
  try {
    r.json();
    FAIL() << "expected BadRequest";
  } catch (const BadRequest& e) {
    EXPECT_NE(std::string(e.what()).find("not valid JSON"), std::string::npos);
  }
  r.headers.set("Content-Type", "text/plain");
  EXPECT_THROW(r.json(), UnsupportedMediaType);
}

TEST(PercentDecode, RejectsTruncatedEscapes) {
  EXPECT_EQ(percent_decode("%41%42"), "AB");
  EXPECT_EQ(percent_decode("%4"), std::nullopt);
  EXPECT_EQ(percent_decode("%"), std::nullopt);
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
}

TEST(Problem, CarriesFieldErrorsAndHeaders) {
  ValidationError v("email", "is not an email address");
  auto r = problem(v);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["errors"][0]["field"], "email");
  EXPECT_EQ(doc["type"], "urn:herald:problem:validation");
  auto u = problem(Unauthorized());
  EXPECT_EQ(u.headers.get("WWW-Authenticate"), "Bearer");
}

TEST(Problem, ExtensionMembersNeverReplaceTheStandardOnes) {
  auto r = problem(500, "Internal Server Error", "quote request id r1", "internal",
                   nlohmann::json{{"event_id", "abc"}, {"status", "fine"}, {"title", "x"}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["event_id"], "abc");
  EXPECT_EQ(doc["status"], 500);
  EXPECT_EQ(doc["title"], "Internal Server Error");
  EXPECT_EQ(doc["type"], "urn:herald:problem:internal");
}

TEST(StaticFiles, MimeTypes) {
  EXPECT_EQ(mime_type(".js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type(".CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(mime_type(".bin"), "application/octet-stream");
}

}  // namespace
}  // namespace herald::http
