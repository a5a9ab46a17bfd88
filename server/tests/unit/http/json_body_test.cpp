// What Request::json() refuses: the parse-level rules every JSON route shares.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "http/types.hpp"

namespace herald::http {
namespace {

Request json_request(std::string body) {
  Request r;
  r.headers.add("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

// The detail of the BadRequest that parsing `body` throws ("" when none is thrown).
std::string refusal(std::string body) {
  try {
    json_request(std::move(body)).json();
  } catch (const BadRequest& e) {
    return e.what();
  }
  return "";
}

TEST(JsonBody, OneValueAndNothingAfterIt) {
  EXPECT_EQ(json_request(" {\"a\": [1, 2]} \r\n").json(), nlohmann::json({{"a", {1, 2}}}));
  EXPECT_NE(refusal(R"({"a":1} {"b":2})"), "");
  EXPECT_NE(refusal(R"({"a":1}x)"), "");
  EXPECT_NE(refusal("[1] 2"), "");
}

TEST(JsonBody, ARawNulIsRefusedWhereverItIs) {
  using namespace std::string_literals;
  // A parser reading up to the NUL would see only {} and drop the rest.
  EXPECT_NE(refusal("{}\0{\"role\":\"admin\"}"s).find("NUL"), std::string::npos);
  EXPECT_NE(refusal("{\"a\":1}\0"s).find("NUL"), std::string::npos);
  EXPECT_NE(refusal("\0{}"s).find("NUL"), std::string::npos);
  // The escaped form is refused too: no text column stores U+0000.
  EXPECT_NE(refusal(R"({"a":"x\u0000"})").find("NUL"), std::string::npos);
}

TEST(JsonBody, DuplicateKeysAreRefused) {
  EXPECT_NE(refusal(R"({"role":"viewer","role":"admin"})").find("\"role\" twice"), std::string::npos);
  EXPECT_NE(refusal(R"({"a":{"b":1,"c":{"d":1,"d":2}}})").find("\"d\" twice"), std::string::npos);
  EXPECT_NE(refusal(R"([{"x":1},{"y":2,"y":3}])").find("\"y\" twice"), std::string::npos);
  // The same key in different objects, or after a nested object closed, is fine.
  EXPECT_EQ(refusal(R"({"a":{"a":1},"b":[{"a":2},{"a":3}],"c":{"b":{"a":4}}})"), "");
  EXPECT_EQ(refusal(R"({"a":1,"A":2})"), "");
}

TEST(JsonBody, ABodyWithoutContentTypeIs415) {
  Request r;
  r.body = R"({"a":1})";
  EXPECT_THROW(r.json(), UnsupportedMediaType);
  r.headers.add("Content-Type", "application/merge-patch+json; charset=utf-8");
  EXPECT_EQ(r.json()["a"], 1);
  // No body at all is still "empty", whatever the headers say.
  Request empty;
  EXPECT_THROW(empty.json(), BadRequest);
}

TEST(JsonBody, DeepNestingIsNotACrash) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(json_request(deep).json().size(), 1u);
  std::string objects;
  for (int i = 0; i < 20000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(20000, '}');
  EXPECT_EQ(refusal(objects), "");
}

}  // namespace
}  // namespace herald::http
