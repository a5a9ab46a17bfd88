// The parse-level JSON rules on real routes: one value per body, no raw NUL,
// no duplicate keys, and a declared JSON Content-Type. Nothing refused here
// may change anything.
#include "integration/auth/auth_fixture.hpp"

namespace herald::test {
namespace {

using JsonBody = AuthTest;

TEST_P(JsonBody, OnlyOneCleanJsonValueIsAccepted) {
  auto& s = server();
  HttpClient http(s.port());
  const HeaderList json = {{"Authorization", "Bearer " + s.admin().token()}, {"Content-Type", "application/json"}};
  using namespace std::string_literals;
  const std::vector<std::string> bodies = {
      R"({"email":"a@example.com"} {"email":"b@example.com"})",
      R"({"email":"a@example.com"}garbage)",
      "{\"email\":\"a@example.com\"}\0{\"email\":\"b@example.com\"}"s,
      "{\"email\":\"a@example.com\"}\0"s,
      R"({"email":"a@example.com","email":"b@example.com"})",
      R"({"email":"a@example.com","custom_fields":{"plan":"gold","plan":"free"}})",
  };
  for (const auto& body : bodies) {
    auto r = http.request("POST", "/api/leads", body, json);
    expect_problem(r, 400);
  }
  EXPECT_EQ(s.admin().get("/api/leads").json()["total"], 0);

  // The same on a route where the duplicate would matter most.
  auto viewer = s.create_user("dup@example.com", "viewer");
  std::string path = "/api/admin/users/" + std::to_string(viewer["id"].get<std::int64_t>());
  expect_problem(http.request("PATCH", path, R"({"role":"viewer","role":"admin"})", json), 400);
  EXPECT_EQ(s.admin().get(path).json()["role"], "viewer");
}

TEST_P(JsonBody, AJsonRouteWithoutContentTypeIs415) {
  auto& s = server();
  HttpClient http(s.port());
  const HeaderList auth = {{"Authorization", "Bearer " + s.admin().token()}};
  expect_problem(http.request("POST", "/api/leads", R"({"email":"a@example.com"})", auth), 415);
  expect_problem(http.request("POST", "/api/admin/roles", R"({"name":"x","permissions":[]})", auth), 415);
  HttpClient anon(s.port());
  expect_problem(anon.request("POST", "/api/auth/login", R"({"email":"a@example.com","password":"x"})"), 415);
  EXPECT_EQ(s.admin().get("/api/leads").json()["total"], 0);
  // With it, the same body is accepted.
  EXPECT_EQ(s.admin().post("/api/leads", {{"email", "a@example.com"}}).status, 201);
}

INSTANTIATE_TEST_SUITE_P(Backends, JsonBody, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
