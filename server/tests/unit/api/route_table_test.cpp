// The route table binds names the modules add; start-up fails on any
// mismatch, so a handler can neither be forgotten nor dangle.
#include "api/routes.hpp"

#include <gtest/gtest.h>

#include <set>

namespace herald::api {
namespace {

http::Response ok(http::Request&) { return http::Response::no_content(); }

// Every endpoint the table names, except `skip`.
http::Endpoints endpoints_for_table(std::string_view skip = {}) {
  http::Endpoints e;
  for (const auto& r : route_table()) {
    if (r.handler == skip || r.handler == "api.openapi") continue;
    e.add(r.handler, ok, {.summary = "s", .tag = "t"});
  }
  return e;
}

std::string mount_error(http::Endpoints& e) {
  http::Router router;
  try {
    mount(router, e, "test");
  } catch (const std::logic_error& err) {
    return err.what();
  }
  return "";
}

TEST(RouteTable, MountsWhenEveryNameHasItsEndpoint) {
  auto e = endpoints_for_table();
  http::Router router;
  mount(router, e, "test");
  EXPECT_EQ(router.routes().size(), route_table().size());
  for (const auto& r : router.routes()) EXPECT_FALSE(r->doc.summary.empty()) << r->path;
}

TEST(RouteTable, ARouteNamingAMissingHandlerStopsStartUp) {
  auto e = endpoints_for_table("leads.list");
  EXPECT_EQ(mount_error(e), "GET /api/leads names handler 'leads.list', which no module adds");
}

TEST(RouteTable, AHandlerOnNoRouteStopsStartUp) {
  auto e = endpoints_for_table();
  e.add("leads.forgotten", ok, {.summary = "s", .tag = "t"});
  EXPECT_EQ(mount_error(e), "handler 'leads.forgotten' is on no route in api/routes.cpp");
}

TEST(RouteTable, AnEndpointNeedsItsDescription) {
  http::Endpoints e;
  EXPECT_THROW(e.add("x.y", ok, {.summary = "", .tag = "t"}), std::logic_error);
  EXPECT_THROW(e.add("x.y", ok, {.summary = "s"}), std::logic_error);
  e.add("x.y", ok, {.summary = "s", .tag = "t"});
  EXPECT_THROW(e.add("x.y", ok, {.summary = "s", .tag = "t"}), std::logic_error);
}

TEST(RouteTable, EveryRouteThatChangesStateHasAnAuditActionAndNoOtherDoes) {
  std::set<std::string> handlers;
  for (const auto& r : route_table()) {
    bool changes = r.method != http::Method::Get && r.method != http::Method::Head;
    EXPECT_EQ(changes, !r.audit.empty()) << r.path;
    EXPECT_TRUE(handlers.insert(r.handler).second) << r.handler << " is on two routes";
    if (r.access.kind == http::Access::Kind::Permission) {
      EXPECT_NE(r.access.permission.find(':'), std::string::npos) << r.path;
    }
  }
}

}  // namespace
}  // namespace herald::api
