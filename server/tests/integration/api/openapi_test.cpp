// The OpenAPI document is generated from the route table; these tests fail
// when a route is missing from it or a documented operation does not exist.
#include <gtest/gtest.h>

#include <set>

#include "http/router.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

TEST(OpenApi, DocumentsExactlyTheRoutesThatExist) {
  TestServer server;
  auto r = server.client()->get("/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = r.json();
  EXPECT_EQ(doc["openapi"], "3.1.0");

  std::set<std::pair<std::string, std::string>> documented;
  for (auto& [path, ops] : doc["paths"].items()) {
    for (auto& [method, op] : ops.items()) {
      documented.emplace(method, path);
      EXPECT_TRUE(op.contains("responses")) << method << " " << path;
      EXPECT_TRUE(op.contains("operationId")) << method << " " << path;
    }
  }
  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& route : server.app().router().routes()) {
    std::string m(http::to_string(route->method));
    for (auto& ch : m) ch = static_cast<char>(std::tolower(ch));
    routed.emplace(m, route->path);
    EXPECT_TRUE(documented.count({m, route->path})) << "route missing from OpenAPI: " << m << " " << route->path;
  }
  for (const auto& d : documented) {
    EXPECT_TRUE(routed.count(d)) << "documented but not routed: " << d.first << " " << d.second;
    // And the server really answers it with something other than 404/405.
  }
  EXPECT_EQ(documented.size(), routed.size());
}

TEST(OpenApi, ProtectedOperationsNameTheirPermission) {
  TestServer server;
  auto doc = server.client()->get("/api/openapi.json").json();
  auto detailed = doc["paths"]["/api/health/detailed"]["get"];
  EXPECT_EQ(detailed["x-permission"], "system:read");
  EXPECT_TRUE(detailed["responses"].contains("403"));
  EXPECT_TRUE(doc["paths"]["/api/health"]["get"]["security"].empty());
}

// Each domain describes its handlers beside them (<domain>/endpoints.cpp);
// the document must have that description for every route.
TEST(OpenApi, EveryRouteHasItsDescription) {
  TestServer server;
  auto doc = server.client()->get("/api/openapi.json").json();
  for (const auto& route : server.app().router().routes()) {
    std::string m(http::to_string(route->method));
    for (auto& ch : m) ch = static_cast<char>(std::tolower(ch));
    const auto& op = doc["paths"][route->path][m];
    EXPECT_TRUE(op.contains("summary") && !op["summary"].get<std::string>().empty()) << m << " " << route->path;
    EXPECT_TRUE(op.contains("tags") && !op["tags"].empty()) << m << " " << route->path;
    bool documented_success = false;
    for (auto& [status, response] : op["responses"].items())
      documented_success = documented_success || (status.front() == '2' && response.contains("description"));
    EXPECT_TRUE(documented_success) << m << " " << route->path;
    if (route->method == http::Method::Post || route->method == http::Method::Patch) {
      bool body_or_none = op.contains("requestBody") || route->path.ends_with("/logout") ||
                          route->path.ends_with("/gdpr-erase") || route->path.ends_with("/retry");
      EXPECT_TRUE(body_or_none) << "no request body described for " << m << " " << route->path;
    }
  }
}

TEST(RouteTable, EveryApiRouteDeclaresItsAccess) {
  TestServer server;
  for (const auto& route : server.app().router().routes()) {
    if (route->access.kind == http::Access::Kind::Permission) {
      EXPECT_FALSE(route->access.permission.empty()) << route->path;
      EXPECT_NE(route->access.permission.find(':'), std::string::npos) << route->path;
    }
  }
}

}  // namespace
}  // namespace herald::test
