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

}  // namespace
}  // namespace herald::log
