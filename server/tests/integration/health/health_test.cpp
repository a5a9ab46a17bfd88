#include <gtest/gtest.h>

#include "support/test_server.hpp"

namespace herald::test {
namespace {

TEST(Health, LivenessIsPublicAndCheap) {
  TestServer server;
  auto r = server.client()->get("/api/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"healthy"})");
}

}  // namespace
}  // namespace herald::test
