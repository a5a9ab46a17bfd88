// A real server per test (AuthTest) with helpers for leads: create one,
// wait for an import, find audit entries.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "integration/auth/auth_fixture.hpp"

namespace herald::test {

class LeadsTest : public AuthTest {
 public:
  // Creates a lead as the admin; fails the test unless it is created.
  nlohmann::json create_lead(nlohmann::json body) {
    auto r = server().admin().post("/api/leads", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json() : nlohmann::json::object();
  }
  static std::string id_of(const nlohmann::json& j) { return std::to_string(j["id"].get<std::int64_t>()); }

  // Polls an import until it is completed or failed (at most a minute).
  nlohmann::json wait_import(ApiClient& c, const std::string& job_id) {
    for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
         std::chrono::steady_clock::now() < until;) {
      auto r = c.get("/api/leads/import/" + job_id);
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) return nlohmann::json::object();
      auto j = r.json();
      if (j["status"] == "completed" || j["status"] == "failed") return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "import " << job_id << " did not finish";
    return nlohmann::json::object();
  }

  HttpResponse upload(ApiClient& c, const std::string& csv, const std::string& query = "",
                      const std::string& content_type = "text/csv") {
    HttpClient http(server().port());
    return http.request("POST", "/api/leads/import" + query, csv,
                        {{"Authorization", "Bearer " + c.token()}, {"Content-Type", content_type}});
  }

  nlohmann::json import_and_wait(const std::string& csv, const std::string& query = "") {
    auto r = upload(server().admin(), csv, query);
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return nlohmann::json::object();
    return wait_import(server().admin(), r.json()["job_id"]);
  }

  // Audit entries of an action, newest first.
  nlohmann::json audit(const std::string& action) {
    auto r = server().admin().get("/api/admin/audit-logs?limit=200&action=" + action);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"];
  }

  static std::set<std::string> error_fields(const HttpResponse& r) {
    std::set<std::string> out;
    auto doc = nlohmann::json::parse(r.body, nullptr, false);
    if (doc.is_object() && doc.contains("errors"))
      for (auto& e : doc["errors"]) out.insert(e["field"].get<std::string>());
    return out;
  }
};

}  // namespace herald::test
