// A real server per test on a scratch database of each backend, with a known
// first admin and users of every role on demand.
#pragma once

#include <gtest/gtest.h>

#include "support/api_client.hpp"
#include "support/test_databases.hpp"

namespace herald::test {

class AuthTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == storage::Backend::Postgres) HERALD_REQUIRE_POSTGRES();
    scratch_ = std::make_unique<ScratchDatabase>(GetParam());
  }
  void TearDown() override {
    server_.reset();
    scratch_.reset();
  }
  // Starts the server on first use; `tweak` applies only to that first call.
  AuthedServer& server(std::function<void(Config&)> tweak = {}) {
    if (!server_) server_ = std::make_unique<AuthedServer>(scratch_->url(), std::move(tweak));
    return *server_;
  }
  storage::Database& db() { return server().server().app().database(); }
  // Stops and destroys the server (a clean shutdown).
  void stop_server() { server_.reset(); }
  ScratchDatabase& scratch() { return *scratch_; }

 private:
  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<AuthedServer> server_;
};

inline void expect_problem(const HttpResponse& r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
}

}  // namespace herald::test
