#include "integration/campaigns/fixture.hpp"

#include "support/test_databases.hpp"

namespace herald::test {

std::string header_of(const std::string& message, const std::string& name) {
  const auto end_of_headers = message.find("\r\n\r\n");
  const std::string head = message.substr(0, end_of_headers);
  std::size_t at = 0;
  while (at < head.size()) {
    auto eol = head.find("\r\n", at);
    if (eol == std::string::npos) eol = head.size();
    const auto colon = head.find(':', at);
    if (colon != std::string::npos && colon < eol) {
      std::string field = head.substr(at, colon - at);
      if (field.size() == name.size() && std::equal(field.begin(), field.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          })) {
        std::string value = head.substr(colon + 1, eol - colon - 1);
        // Folded continuation lines.
        while (eol + 2 < head.size() && (head[eol + 2] == ' ' || head[eol + 2] == '\t')) {
          auto next = head.find("\r\n", eol + 2);
          if (next == std::string::npos) next = head.size();
          value += head.substr(eol + 2, next - eol - 2);
          eol = next;
        }
        const auto first = value.find_first_not_of(" \t");
        return first == std::string::npos ? "" : value.substr(first);
      }
    }
    at = eol + 2;
  }
  return "";
}

std::map<std::string, int> message_ids(const std::vector<StoredMessage>& messages) {
  std::map<std::string, int> out;
  for (const auto& m : messages) ++out[header_of(m.data, "Message-ID")];
  return out;
}

std::int64_t CampaignTest::create_template(const std::string& subject, const std::string& html) {
  auto r = server().admin().post(
      "/api/templates", {{"name", "Template " + std::to_string(std::rand())}, {"subject", subject}, {"html", html}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.json()["id"].get<std::int64_t>() : 0;
}

std::int64_t CampaignTest::create_lead(const std::string& email, const std::string& tag) {
  nlohmann::json body = {{"email", email}, {"first_name", "Ann"}};
  if (!tag.empty()) body["tags"] = {tag};
  auto r = server().admin().post("/api/leads", body);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.json()["id"].get<std::int64_t>() : 0;
}

std::vector<std::int64_t> CampaignTest::create_leads(int n, const std::string& prefix, const std::string& domain,
                                                     const std::string& tag) {
  std::vector<std::int64_t> ids;
  for (int i = 1; i <= n; ++i) ids.push_back(create_lead(prefix + std::to_string(i) + "@" + domain, tag));
  return ids;
}

nlohmann::json CampaignTest::create_campaign(nlohmann::json body) {
  if (!body.contains("name")) body["name"] = "Campaign";
  if (!body.contains("from_email")) body["from_email"] = "news@herald.test";
  if (!body.contains("from_name")) body["from_name"] = "Herald News";
  auto r = server().admin().post("/api/campaigns", body);
  EXPECT_TRUE(r.status == 201 || r.status == 202) << r.body;
  return r.json();
}

nlohmann::json CampaignTest::get_campaign(std::int64_t id) {
  auto r = server().admin().get("/api/campaigns/" + std::to_string(id));
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json();
}

nlohmann::json CampaignTest::wait_status(std::int64_t id, const std::string& status, std::chrono::seconds timeout) {
  nlohmann::json c;
  const bool reached = eventually(
      [&] {
        c = get_campaign(id);
        return c.value("status", "") == status;
      },
      timeout);
  EXPECT_TRUE(reached) << "campaign " << id << " is " << c.dump();
  return c;
}

nlohmann::json CampaignTest::recipients(std::int64_t id, const std::string& state) {
  auto r = server().admin().get("/api/campaigns/" + std::to_string(id) + "/recipients?page_size=200" +
                                (state.empty() ? "" : "&state=" + state));
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json()["items"];
}

nlohmann::json CampaignTest::recipient(std::int64_t id, const std::string& email) {
  for (const auto& r : recipients(id))
    if (r["email"] == email) return r;
  ADD_FAILURE() << "no recipient " << email;
  return nlohmann::json::object();
}

nlohmann::json CampaignTest::dkim_key(const std::string& domain, const std::string& selector) {
  auto r = server().admin().post("/api/settings/dkim", {{"domain", domain}, {"selector", selector}});
  EXPECT_TRUE(r.status == 201 || r.status == 200) << r.body;
  return r.json();
}

void CampaignTest::set_domain_limit(const std::string& domain, int per_minute) {
  auto r =
      server().admin().patch("/api/settings", {{"domain_limits", {{{"domain", domain}, {"per_minute", per_minute}}}}});
  EXPECT_EQ(r.status, 200) << r.body;
}

std::int64_t CampaignTest::scalar(const std::string& sql) {
  std::int64_t n = 0;
  db().acquire()->execute(sql_for(GetParam(), sql), {},
                          [&](const storage::Row& r) { n = r.is_null(0) ? 0 : r.integer(0); });
  return n;
}

std::set<std::string> CampaignTest::error_fields(const HttpResponse& r) {
  std::set<std::string> out;
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (doc.is_object() && doc.contains("errors"))
    for (auto& e : doc["errors"]) out.insert(e["field"].get<std::string>());
  return out;
}

}  // namespace herald::test
