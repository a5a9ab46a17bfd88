// A JSON API client for black-box tests: sends a bearer token, and creates
// users of each role through the real admin API.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace herald::test {

class ApiClient {
 public:
  ApiClient(std::uint16_t port, std::string token = {}) : http_(port), token_(std::move(token)) {}

  HttpResponse get(const std::string& path) { return call("GET", path, nullptr); }
  HttpResponse post(const std::string& path, const nlohmann::json& body) { return call("POST", path, body); }
  HttpResponse patch(const std::string& path, const nlohmann::json& body) { return call("PATCH", path, body); }
  HttpResponse del(const std::string& path) { return call("DELETE", path, nullptr); }
  HttpResponse call(const std::string& method, const std::string& path, const nlohmann::json& body,
                    HeaderList extra = {});

  const std::string& token() const noexcept { return token_; }
  void set_token(std::string t) { token_ = std::move(t); }

 private:
  HttpClient http_;
  std::string token_;
};

// Logs in; fails the test when the login does not succeed.
nlohmann::json login(std::uint16_t port, const std::string& email, const std::string& password);

// A server whose first admin is known, with helpers that create a user of any
// role (through POST /api/admin/users) and sign them in.
class AuthedServer {
 public:
  explicit AuthedServer(std::string database_url = {}, std::function<void(Config&)> tweak = {},
                        std::function<void(app::AppOptions&)> options = {});

  TestServer& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  ApiClient& admin() { return *admin_; }
  // Creates (once) "<role>@example.com" with that role and returns a client signed in as them.
  ApiClient as(const std::string& role);
  // Creates a user and returns its JSON.
  nlohmann::json create_user(const std::string& email, const std::string& role,
                             const std::string& password = "password-123");

 private:
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<ApiClient> admin_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace herald::test
