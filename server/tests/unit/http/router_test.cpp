#include "http/router.hpp"

#include <gtest/gtest.h>

namespace herald::http {
namespace {

Handler ok() {
  return [](Request&) { return Response::no_content(); };
}

TEST(Router, MatchesStaticAndParameterRoutes) {
  Router r;
  r.add(Method::Get, "/api/leads", ok(), Access::permission_required("lead:read"));
  r.add(Method::Get, "/api/leads/{id}", ok(), Access::permission_required("lead:read"));
  r.add(Method::Get, "/api/leads/export", ok(), Access::permission_required("lead:export"));

  auto list = r.match(Method::Get, "/api/leads");
  ASSERT_NE(list.route, nullptr);
  EXPECT_EQ(list.route->path, "/api/leads");

  auto one = r.match(Method::Get, "/api/leads/42");
  ASSERT_NE(one.route, nullptr);
  EXPECT_EQ(one.route->path, "/api/leads/{id}");
  ASSERT_EQ(one.params.size(), 1u);
  EXPECT_EQ(one.params[0].first, "id");
  EXPECT_EQ(one.params[0].second, "42");

  // A literal route wins over a parameter route with the same shape.
  auto exp = r.match(Method::Get, "/api/leads/export");
  ASSERT_NE(exp.route, nullptr);
  EXPECT_EQ(exp.route->path, "/api/leads/export");
}

TEST(Router, ReportsAllowedMethodsForWrongMethod) {
  Router r;
  r.add(Method::Get, "/api/x/{id}", ok(), Access::public_route());
  r.add(Method::Patch, "/api/x/{id}", ok(), Access::public_route());
  auto m = r.match(Method::Post, "/api/x/1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(allow_header(m.allowed), "GET, HEAD, PATCH");
}

TEST(Router, HeadIsServedByGet) {
  Router r;
  r.add(Method::Get, "/api/health", ok(), Access::public_route());
  EXPECT_NE(r.match(Method::Head, "/api/health").route, nullptr);
}

TEST(Router, UnknownPathHasNoRouteAndNoAllowedMethods) {
  Router r;
  r.add(Method::Get, "/api/leads/{id}", ok(), Access::public_route());
  auto m = r.match(Method::Get, "/api/leads/1/extra");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed.empty());
  EXPECT_EQ(r.match(Method::Get, "/api/leads/").route, nullptr);  // empty parameter
}

TEST(Router, RejectsDuplicatesAndMalformedTemplates) {
  Router r;
  r.add(Method::Get, "/api/a", ok(), Access::public_route());
  EXPECT_THROW(r.add(Method::Get, "/api/a", ok(), Access::public_route()), std::logic_error);
  EXPECT_THROW(r.add(Method::Get, "/api/b/{id", ok(), Access::public_route()), std::logic_error);
  EXPECT_THROW(r.add(Method::Get, "api/c", ok(), Access::public_route()), std::logic_error);
}

}  // namespace
}  // namespace herald::http
