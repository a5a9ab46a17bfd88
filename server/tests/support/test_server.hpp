// Starts the real Herald (App) on port 0 for black-box tests.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "app/app.hpp"
#include "core/config.hpp"
#include "http/router.hpp"
#include "jobs/worker.hpp"
#include "support/http_client.hpp"

namespace herald::test {

// A loopback port that was free a moment ago (for child processes that must listen on a known port).
std::uint16_t free_port();

// A fresh temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

inline constexpr std::string_view kTestJwtSecret = "test-secret-test-secret-test-secret-0123";
inline constexpr std::string_view kAdminEmail = "admin@example.com";
inline constexpr std::string_view kAdminPassword = "admin-password-1";

// Settings a test starts from: a temp data dir, port 0, generous limits,
// a known JWT secret and first admin.
Config test_config(const std::filesystem::path& data_dir, const std::string& database_url = {});

class TestServer {
 public:
  // `tweak` may adjust the configuration before start.
  explicit TestServer(std::function<void(Config&)> tweak = {}, std::string database_url = {},
                      std::function<void(http::Router&)> extra_routes = {},
                      std::function<void(jobs::HandlerRegistry&)> extra_jobs = {});
  ~TestServer();

  std::uint16_t port() const noexcept { return port_; }
  app::App& app() { return *app_; }
  std::unique_ptr<HttpClient> client(std::string host = "127.0.0.1") const {
    return std::make_unique<HttpClient>(port_, std::move(host));
  }

 private:
  TempDir dir_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
};

}  // namespace herald::test
