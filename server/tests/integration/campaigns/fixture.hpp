// Campaign tests: a real server per test (SQLite or PostgreSQL) whose mail
// goes to a real SMTP server (python3-aiosmtpd, support/smtp_server.py),
// with helpers to make leads and templates, send a campaign and wait for it.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "integration/auth/auth_fixture.hpp"
#include "support/mail_tools.hpp"

namespace herald::test {

// Waits (generously: the machine is shared) until `done` holds.
template <typename F>
bool eventually(F done, std::chrono::seconds timeout = std::chrono::seconds(90)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// A header's value in a raw message (first occurrence, unfolded), or "".
std::string header_of(const std::string& message, const std::string& name);
// Message-ID → how many times the sink received it.
std::map<std::string, int> message_ids(const std::vector<StoredMessage>& messages);

class CampaignTest : public AuthTest {
 protected:
  void TearDown() override {
    AuthTest::TearDown();
    smtp_.reset();
  }
  TestSmtpServer& smtp(SmtpServerOptions options = {}) {
    if (!smtp_) smtp_ = std::make_unique<TestSmtpServer>(options);
    return *smtp_;
  }
  // The server, sending to the SMTP sink with quick retries.
  AuthedServer& mail_server(std::function<void(Config&)> tweak = {},
                            std::function<void(app::AppOptions&)> options = {}) {
    auto& sink = smtp();
    return server(
        [&sink, tweak](Config& c) {
          c.smtp_url = sink.url({}, "starttls=never");
          c.smtp_pool = 2;
          c.public_url = "https://mail.herald.test";
          c.job_visibility_timeout = std::chrono::milliseconds(1000);
          c.send_retry_base = std::chrono::milliseconds(300);
          c.send_attempts = 3;
          if (tweak) tweak(c);
        },
        std::move(options));
  }

  std::int64_t create_template(const std::string& subject = "Hello {{first_name|there}}",
                               const std::string& html =
                                   "<p>Hi {{first_name|there}},</p>"
                                   "<p><a href=\"https://example.org/offer?a=1&amp;b=2\">Our offer</a></p>"
                                   "<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>");
  // Creates leads <prefix>1@<domain> … and returns their ids.
  std::vector<std::int64_t> create_leads(int n, const std::string& prefix = "lead",
                                         const std::string& domain = "example.org", const std::string& tag = "");
  std::int64_t create_lead(const std::string& email, const std::string& tag = "");
  nlohmann::json create_campaign(nlohmann::json body);
  nlohmann::json get_campaign(std::int64_t id);
  // Waits until the campaign's status is `status`; returns the campaign.
  nlohmann::json wait_status(std::int64_t id, const std::string& status,
                             std::chrono::seconds timeout = std::chrono::seconds(120));
  nlohmann::json recipients(std::int64_t id, const std::string& state = "");
  // One recipient row by email.
  nlohmann::json recipient(std::int64_t id, const std::string& email);
  // A DKIM key for the sending domain through the settings API; returns {dns_name, dns_txt}.
  nlohmann::json dkim_key(const std::string& domain, const std::string& selector = "herald");
  void set_domain_limit(const std::string& domain, int per_minute);
  std::int64_t scalar(const std::string& sql);

  static std::set<std::string> error_fields(const HttpResponse& r);

 private:
  std::unique_ptr<TestSmtpServer> smtp_;
};

}  // namespace herald::test
