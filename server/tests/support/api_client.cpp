#include "support/api_client.hpp"

#include <gtest/gtest.h>

namespace herald::test {

HttpResponse ApiClient::call(const std::string& method, const std::string& path, const nlohmann::json& body,
                             HeaderList extra) {
  if (!token_.empty()) extra.emplace_back("Authorization", "Bearer " + token_);
  if (body.is_null()) return http_.request(method, path, {}, extra);
  extra.emplace_back("Content-Type", "application/json");
  return http_.request(method, path, body.dump(), extra);
}

nlohmann::json login(std::uint16_t port, const std::string& email, const std::string& password) {
  HttpClient c(port);
  auto r = c.post_json("/api/auth/login", {{"email", email}, {"password", password}});
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.json() : nlohmann::json::object();
}

AuthedServer::AuthedServer(std::string database_url, std::function<void(Config&)> tweak,
                           std::function<void(app::AppOptions&)> options) {
  server_ = std::make_unique<TestServer>(std::move(tweak), std::move(database_url), nullptr, std::move(options));
  auto session = login(port(), std::string(kAdminEmail), std::string(kAdminPassword));
  admin_ = std::make_unique<ApiClient>(port(), session.value("token", ""));
}

nlohmann::json AuthedServer::create_user(const std::string& email, const std::string& role,
                                         const std::string& password) {
  auto r = admin_->post("/api/admin/users",
                        {{"email", email}, {"name", role + " user"}, {"role", role}, {"password", password}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json();
}

ApiClient AuthedServer::as(const std::string& role) {
  auto it = tokens_.find(role);
  if (it == tokens_.end()) {
    std::string email = role + "@example.com";
    if (role != "admin") create_user(email, role);
    auto session = role == "admin" ? login(port(), std::string(kAdminEmail), std::string(kAdminPassword))
                                   : login(port(), email, "password-123");
    it = tokens_.emplace(role, session.value("token", "")).first;
  }
  return ApiClient(port(), it->second);
}

}  // namespace herald::test
