#include <gtest/gtest.h>

#include <fstream>

#include "support/test_server.hpp"

namespace herald::test {
namespace {

TEST(StaticFiles, PlaceholderPageWhenTheUiIsNotBuilt) {
  TempDir empty;
  TestServer server([&](Config& c) { c.web_dir = empty.path(); });
  auto r = server.client()->get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("Herald is running"), std::string::npos);
  EXPECT_NE(r.header("Content-Security-Policy")->find("default-src 'self'"), std::string::npos);
}

TEST(StaticFiles, ServesTheBuiltUiWithCacheHeadersAndRouteFallback) {
  TempDir dist;
  std::filesystem::create_directories(dist.path() / "assets");
  std::ofstream(dist.path() / "index.html") << "<!doctype html><div id=root></div>";
  std::ofstream(dist.path() / "assets" / "index-abc123.js") << "console.log(1)";
  std::ofstream(dist.path() / "favicon.svg") << "<svg/>";
  TestServer server([&](Config& c) { c.web_dir = dist.path(); });
  auto c = server.client();

  auto index = c->get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><div id=root></div>");
  EXPECT_EQ(index.header("Cache-Control"), "no-cache");

  auto asset = c->get("/assets/index-abc123.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(asset.header("Cache-Control"), "public, max-age=31536000, immutable");

  auto route = c->get("/campaigns/42");  // a client-side route
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, index.body);

  EXPECT_EQ(c->get("/assets/missing.js").status, 404);
  EXPECT_EQ(c->get("/../../etc/passwd").status, 404);
  EXPECT_EQ(c->get("/%2e%2e/%2e%2e/etc/passwd").status, 404);
  EXPECT_EQ(c->request("POST", "/campaigns").status, 405);
}

}  // namespace
}  // namespace herald::test
