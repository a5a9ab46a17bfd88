// The links in mail: open pixel, click redirect, unsubscribe page and
// one-click unsubscribe, with tokens taken from a message the sink received.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "integration/campaigns/fixture.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using nlohmann::json;

// The path of the first link of `kind` ("/t/o/", "/t/c/", "/u/") in a message.
std::string link_path(const std::string& message, const std::string& kind) {
  // Quoted-printable may fold long lines ("=\r\n") and encode "=" as "=3D".
  std::string text;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message.compare(i, 3, "=\r\n") == 0) {
      i += 2;
      continue;
    }
    if (message.compare(i, 3, "=3D") == 0) {
      text += '=';
      i += 2;
      continue;
    }
    text += message[i];
  }
  std::regex re(kind + "([A-Za-z0-9_-]+)");
  std::smatch m;
  if (!std::regex_search(text, m, re)) return "";
  return kind + m[1].str();
}

class TrackingTest : public CampaignTest {
 protected:
  // Sends a one-lead campaign; returns {campaign id, lead id, the message}.
  std::tuple<std::int64_t, std::int64_t, std::string> send_one(const std::string& email = "reader@example.org") {
    mail_server();
    const auto tid = create_template();
    const auto lead = create_lead(email);
    auto sent = create_campaign({{"template_id", tid}, {"audience", {{"lead_ids", {lead}}}}, {"send_now", true}});
    const auto id = sent["id"].get<std::int64_t>();
    wait_status(id, "completed");
    EXPECT_TRUE(smtp().wait_for_messages(1));
    auto messages = smtp().messages();
    return {id, lead, messages.empty() ? "" : messages[0].data};
  }
  HttpResponse raw(const std::string& method, const std::string& path, const std::string& body = "",
                   HeaderList headers = {}) {
    HttpClient http(server().port());
    return http.request(method, path, body, std::move(headers));
  }
  std::int64_t events(std::int64_t campaign, const std::string& type) {
    return scalar("SELECT count(*) FROM campaign_events WHERE campaign_id = " + std::to_string(campaign) +
                  " AND type = '" + type + "'");
  }
};

TEST_P(TrackingTest, OpenPixelRecordsAnOpen) {
  auto [id, lead, message] = send_one();
  const auto pixel = link_path(message, "/t/o/");
  ASSERT_FALSE(pixel.empty()) << message;
  auto r = raw("GET", pixel, "", {{"User-Agent", "MailClient/1.0"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type").value_or(""), "image/gif");
  EXPECT_NE(r.header("Cache-Control").value_or("").find("no-store"), std::string::npos);
  EXPECT_EQ(r.body.substr(0, 6), "GIF89a");
  ASSERT_TRUE(eventually([&] { return events(id, "open") == 1; }, std::chrono::seconds(30)));
  EXPECT_TRUE(eventually([&] { return get_campaign(id)["stats"]["opened"] == 1; }, std::chrono::seconds(30)));
  EXPECT_EQ(scalar("SELECT count(*) FROM campaign_events WHERE type = 'open' AND user_agent = 'MailClient/1.0' AND "
                   "ip = '127.0.0.1' AND lead_id = " +
                   std::to_string(lead)),
            1);
  // A second open is an event too, but the lead counts once.
  ASSERT_EQ(raw("GET", pixel).status, 200);
  ASSERT_TRUE(eventually([&] { return events(id, "open") == 2; }, std::chrono::seconds(30)));
  EXPECT_EQ(get_campaign(id)["stats"]["opened"], 1);
}

TEST_P(TrackingTest, ClickRedirectsOnlyToALinkOfThatMessage) {
  auto [id, lead, message] = send_one();
  const auto click = link_path(message, "/t/c/");
  ASSERT_FALSE(click.empty()) << message;
  auto r = raw("GET", click);
  ASSERT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(r.header("Location").value_or(""), "https://example.org/offer?a=1&b=2");
  // The target learns nothing of the message: one Referrer-Policy, no-referrer
  // (a second, weaker one would be the one browsers apply).
  int policies = 0;
  for (const auto& [name, value] : r.headers) {
    std::string lower = name;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == "referrer-policy") ++policies;
  }
  EXPECT_EQ(policies, 1);
  EXPECT_EQ(r.header("Referrer-Policy").value_or(""), "no-referrer");
  ASSERT_TRUE(eventually([&] { return events(id, "click") == 1; }, std::chrono::seconds(30)));
  EXPECT_EQ(scalar("SELECT count(*) FROM campaign_events WHERE type = 'click' AND url = "
                   "'https://example.org/offer?a=1&b=2'"),
            1);
  // Whatever the request adds, the redirect goes where the message said.
  auto sneaky = raw("GET", click + "?url=https://evil.example/&to=https://evil.example/");
  EXPECT_EQ(sneaky.header("Location").value_or(""), "https://example.org/offer?a=1&b=2");
  EXPECT_TRUE(eventually([&] { return get_campaign(id)["stats"]["clicked"] == 1; }, std::chrono::seconds(30)));
}

// Every /t/c/ path of a message, in order of first appearance.
std::vector<std::string> click_paths(const std::string& message) {
  std::string text;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message.compare(i, 3, "=\r\n") == 0) {
      i += 2;
      continue;
    }
    text += message[i];
  }
  std::vector<std::string> out;
  std::regex re("/t/c/[A-Za-z0-9_-]+");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    if (std::find(out.begin(), out.end(), it->str()) == out.end()) out.push_back(it->str());
  return out;
}

// A link with a variable differs per recipient: each recipient's click goes
// to its own URL, again and again (the campaign's links are cached per
// process, the recipient's own are not mixed up with another's), and a link
// the same for everyone goes where it said.
TEST_P(TrackingTest, EachRecipientsClickGoesToItsOwnPersonalisedLink) {
  mail_server();
  const auto tid = create_template(
      "Hi",
      R"(<p><a href="https://example.org/p?who={{email}}">mine</a> <a href="https://example.org/same">same</a></p>)");
  const std::vector<std::string> emails = {"ann@example.org", "bob@example.org", "cy@example.org"};
  json ids = json::array();
  for (const auto& e : emails) ids.push_back(create_lead(e));
  auto sent = create_campaign({{"template_id", tid}, {"audience", {{"lead_ids", ids}}}, {"send_now", true}});
  const auto id = sent["id"].get<std::int64_t>();
  wait_status(id, "completed");
  ASSERT_TRUE(smtp().wait_for_messages(emails.size()));
  const auto messages = smtp().messages();
  ASSERT_EQ(messages.size(), emails.size());
  for (int round = 0; round < 2; ++round) {
    for (const auto& m : messages) {
      ASSERT_EQ(m.rcpt_tos.size(), 1U);
      const auto& to = m.rcpt_tos[0];
      const auto links = click_paths(m.data);
      ASSERT_EQ(links.size(), 2U) << m.data;
      auto mine = raw("GET", links[0]);
      ASSERT_EQ(mine.status, 302) << mine.body;
      EXPECT_EQ(mine.header("Location").value_or(""), "https://example.org/p?who=" + to) << "round " << round;
      auto same = raw("GET", links[1]);
      ASSERT_EQ(same.status, 302) << same.body;
      EXPECT_EQ(same.header("Location").value_or(""), "https://example.org/same");
    }
  }
  ASSERT_TRUE(eventually([&] { return events(id, "click") == 12; }, std::chrono::seconds(30)));
  for (const auto& e : emails)
    EXPECT_EQ(scalar("SELECT count(*) FROM campaign_events WHERE campaign_id = " + std::to_string(id) +
                     " AND type = 'click' AND url = 'https://example.org/p?who=" + e + "'"),
              2)
        << e;
}

// Opens and clicks are answered before they are written (the event writer
// batches them off the I/O threads); a clean shutdown writes what is
// buffered, so every answered one is in the database after a restart.
TEST_P(TrackingTest, AnsweredOpensAndClicksSurviveACleanShutdown) {
  auto [id, lead, message] = send_one();
  const auto pixel = link_path(message, "/t/o/");
  const auto click = link_path(message, "/t/c/");
  ASSERT_FALSE(pixel.empty() || click.empty()) << message;
  constexpr int kOpens = 60, kClicks = 25;
  {
    HttpClient http(server().port());
    for (int i = 0; i < kOpens; ++i) ASSERT_EQ(http.request("GET", pixel).status, 200);
    for (int i = 0; i < kClicks; ++i) ASSERT_EQ(http.request("GET", click).status, 302);
  }
  stop_server();  // at once: most of these are still in the writer's buffer
  EXPECT_EQ(events(id, "open"), kOpens);
  EXPECT_EQ(events(id, "click"), kClicks);
  auto stats = get_campaign(id)["stats"];
  EXPECT_EQ(stats["opened"], 1);
  EXPECT_EQ(stats["clicked"], 1);
}

TEST_P(TrackingTest, ForgedOrAlteredTokensAre404) {
  auto [id, lead, message] = send_one();
  const auto click = link_path(message, "/t/c/");
  const auto pixel = link_path(message, "/t/o/");
  const auto unsub = link_path(message, "/u/");
  ASSERT_FALSE(click.empty() || pixel.empty() || unsub.empty());
  auto alter = [](std::string path) {
    char& c = path.back();
    c = c == 'A' ? 'B' : 'A';
    return path;
  };
  for (const auto& p : {click, pixel, unsub}) {
    EXPECT_EQ(raw("GET", alter(p)).status, 404) << p;
    EXPECT_EQ(raw("GET", p.substr(0, p.size() - 1)).status, 404) << p;
  }
  EXPECT_EQ(raw("GET", "/t/c/not-a-token").status, 404);
  EXPECT_EQ(raw("GET", "/t/o/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status, 404);
  EXPECT_EQ(
      raw("POST", alter(unsub), "List-Unsubscribe=One-Click", {{"Content-Type", "application/x-www-form-urlencoded"}})
          .status,
      404);
  // Tokens of one kind are not another's.
  EXPECT_EQ(raw("GET", "/t/c/" + pixel.substr(5)).status, 404);
  EXPECT_EQ(raw("GET", "/u/" + click.substr(5)).status, 404);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(events(id, "click"), 0);
  EXPECT_EQ(events(id, "open"), 0);
  EXPECT_EQ(server().admin().get("/api/leads/" + std::to_string(lead)).json()["status"], "new");
}

TEST_P(TrackingTest, GetOnTheUnsubscribeLinkChangesNothing) {
  auto [id, lead, message] = send_one();
  const auto unsub = link_path(message, "/u/");
  ASSERT_FALSE(unsub.empty());
  for (int i = 0; i < 3; ++i) {
    auto r = raw("GET", unsub);
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.header("Content-Type").value_or("").find("text/html"), std::string::npos);
    EXPECT_NE(r.body.find("<form method=\"post\""), std::string::npos);
    EXPECT_EQ(r.body.find("<script"), std::string::npos);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(server().admin().get("/api/leads/" + std::to_string(lead)).json()["status"], "new");
  EXPECT_EQ(server().admin().get("/api/leads/suppressions").json()["total"], 0);
  EXPECT_EQ(events(id, "unsubscribe"), 0);
}

TEST_P(TrackingTest, OneClickPostUnsubscribesWithoutLoginOrRedirect) {
  auto [id, lead, message] = send_one();
  const auto unsub = link_path(message, "/u/");
  ASSERT_FALSE(unsub.empty());
  auto r = raw("POST", unsub, "List-Unsubscribe=One-Click", {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.header("Location").has_value());
  EXPECT_EQ(server().admin().get("/api/leads/" + std::to_string(lead)).json()["status"], "unsubscribed");
  auto supp = server().admin().get("/api/leads/suppressions?reason=unsubscribe").json();
  EXPECT_EQ(supp["total"], 1) << supp.dump();
  EXPECT_EQ(events(id, "unsubscribe"), 1);
  EXPECT_EQ(get_campaign(id)["stats"]["unsubscribed"], 1);
  // Twice is harmless.
  EXPECT_EQ(raw("POST", unsub, "List-Unsubscribe=One-Click").status, 200);
  // The next campaign does not mail them.
  const auto tid = create_template();
  auto next = create_campaign({{"template_id", tid}, {"audience", {{"all", true}}}, {"send_now", true}});
  EXPECT_EQ(next["emails_queued"], 0);
  wait_status(next["id"].get<std::int64_t>(), "completed");
  EXPECT_EQ(smtp().messages().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, TrackingTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
