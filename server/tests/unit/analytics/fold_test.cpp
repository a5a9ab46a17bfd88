// The roll-up's arithmetic on synthetic event streams: exact counts and
// rates, each lead's opens and clicks counted once, prefetched opens apart.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "analytics/fold.hpp"
#include "analytics/prefetch.hpp"

namespace herald::analytics {
namespace {

using campaigns::ActivityEvent;

constexpr std::int64_t kT0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

struct Stream {
  std::vector<ActivityEvent> events;
  std::int64_t next = 1;
  Stream& add(std::int64_t campaign, std::int64_t lead, std::string type, std::int64_t at_ms, std::string ua = "",
              std::string ip = "", std::optional<std::string> url = std::nullopt) {
    events.push_back({next++, campaign, lead, std::move(type), at_ms, std::move(ua), std::move(ip), std::move(url)});
    return *this;
  }
};

// The whole stream folded at once, every candidate new: what a recomputation gives.
Fold recompute(const std::vector<ActivityEvent>& events) {
  Fold f = fold(events);
  for (const auto& c : f.firsts) count_first(f, c);
  add_totals(f);
  return f;
}

Counts campaign_total(const Fold& f, std::int64_t campaign) {
  Counts c;
  for (const auto& [key, counts] : f.hours)
    if (key.first == campaign) c += counts;
  return c;
}

const char* kBrowser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15";

TEST(AnalyticsFold, ASyntheticStreamGivesExactCountsAndRates) {
  Stream s;
  // 10 messages: 8 delivered, 1 bounced, 1 rejected.
  for (int lead = 1; lead <= 8; ++lead) s.add(7, lead, "delivered", kT0 + lead);
  s.add(7, 9, "bounce", kT0 + 9).add(7, 10, "rejected", kT0 + 10);
  // Lead 1 opens three times, lead 2 once (through Apple's proxy, then itself), lead 3 only clicks.
  s.add(7, 1, "open", kT0 + 100, kBrowser, "198.51.100.7")
      .add(7, 1, "open", kT0 + 200, kBrowser, "198.51.100.7")
      .add(7, 1, "open", kT0 + 300, kBrowser, "198.51.100.7")
      .add(7, 2, "open", kT0 + 400, "Mozilla/5.0", "17.58.101.1")
      .add(7, 2, "open", kT0 + 500, kBrowser, "203.0.113.9")
      .add(7, 3, "click", kT0 + 600, kBrowser, "203.0.113.10", "https://example.org/a")
      .add(7, 3, "click", kT0 + 700, kBrowser, "203.0.113.10", "https://example.org/a")
      .add(7, 1, "click", kT0 + 800, kBrowser, "198.51.100.7", "https://example.org/b")
      .add(7, 4, "unsubscribe", kT0 + 900)
      .add(7, 4, "unsubscribe", kT0 + 901)
      .add(7, 5, "reply", kT0 + 950);
  const auto f = recompute(s.events);
  const auto c = campaign_total(f, 7);
  EXPECT_EQ(c.sent, 10);
  EXPECT_EQ(c.delivered, 8);
  EXPECT_EQ(c.bounced, 1);
  EXPECT_EQ(c.rejected, 1);
  EXPECT_EQ(c.opens, 5);
  EXPECT_EQ(c.human_opens, 4);
  EXPECT_EQ(c.opened, 3);        // leads 1, 2 and 3 (a click is an open)
  EXPECT_EQ(c.human_opened, 3);  // lead 2 also opened it in a browser
  EXPECT_EQ(c.clicks, 3);
  EXPECT_EQ(c.clicked, 2);
  EXPECT_EQ(c.unsubscribed, 1);
  EXPECT_EQ(c.replied, 1);
  const auto r = rates_of(c);
  EXPECT_DOUBLE_EQ(r.delivery, 0.8);
  EXPECT_DOUBLE_EQ(r.open, 0.3);
  EXPECT_DOUBLE_EQ(r.click, 0.2);
  EXPECT_DOUBLE_EQ(r.bounce, 0.1);
  EXPECT_DOUBLE_EQ(r.unsubscribe, 0.1);
  EXPECT_DOUBLE_EQ(r.reply, 0.1);
  EXPECT_EQ(campaign_total(f, 0), c) << "campaign 0 sums every campaign";
  const auto a = f.links.at({7, "https://example.org/a"});
  EXPECT_EQ(a.clicks, 2);
  EXPECT_EQ(a.unique_clicks, 1);
}

TEST(AnalyticsFold, MailedBackReportsCountOncePerLeadAndSoftBouncesNotAtAll) {
  Stream s;
  for (int lead = 1; lead <= 4; ++lead) s.add(7, lead, "delivered", kT0 + lead);
  // Lead 1's hard bounce arrives twice (two reports), lead 2's only soft, lead 3 replies twice, lead 4 complains.
  s.add(7, 1, "bounce_hard", kT0 + 100).add(7, 1, "bounce_hard", kT0 + 101).add(7, 2, "bounce_soft", kT0 + 102);
  s.add(7, 3, "reply", kT0 + 103).add(7, 3, "reply", kT0 + 104).add(7, 4, "complaint", kT0 + 105);
  const auto c = campaign_total(recompute(s.events), 7);
  EXPECT_EQ(c.sent, 4) << "a report after delivery sends nothing more";
  EXPECT_EQ(c.delivered, 4);
  EXPECT_EQ(c.bounced, 1);
  EXPECT_EQ(c.replied, 1);
  EXPECT_EQ(campaign_total(recompute(s.events), 0).bounced, 1);
}

TEST(AnalyticsFold, RatesAreZeroWhenNothingWasSent) {
  const auto r = rates_of(Counts{});
  EXPECT_EQ(r.open, 0.0);
  EXPECT_EQ(r.delivery, 0.0);
}

TEST(AnalyticsFold, AFirstIsCountedInTheHourOfItsFirstEvent) {
  Stream s;
  s.add(1, 1, "open", kT0 + 2 * kHourMs + 5, kBrowser, "203.0.113.1");
  s.add(1, 1, "open", kT0 + 5 * kHourMs, kBrowser, "203.0.113.1");
  const auto f = recompute(s.events);
  EXPECT_EQ(f.hours.at({1, hour_of(kT0) + 2}).opened, 1);
  EXPECT_EQ(f.hours.at({1, hour_of(kT0) + 5}).opened, 0);
  EXPECT_EQ(f.hours.at({1, hour_of(kT0) + 5}).opens, 1);
}

TEST(AnalyticsFold, BatchesFoldedOneAfterAnotherEqualTheWholeStream) {
  Stream s;
  for (int i = 0; i < 300; ++i) {
    const auto lead = 1 + i % 17, campaign = 1 + i % 3;
    const std::int64_t at = kT0 + static_cast<std::int64_t>(i) * 600'000;
    const char* type = i % 5 == 0 ? "delivered" : i % 5 == 1 ? "open" : i % 5 == 2 ? "click" : "open";
    s.add(campaign, lead, type, at, i % 7 == 0 ? "Mozilla/5.0 (via ggpht.com GoogleImageProxy)" : kBrowser,
          "203.0.113.5", std::string("https://example.org/") + std::to_string(i % 4));
  }
  const auto whole = recompute(s.events);
  // In batches of 37, with a set standing for analytics_firsts.
  std::set<std::tuple<std::int64_t, std::int64_t, std::string>> firsts;
  std::map<std::pair<std::int64_t, std::int64_t>, Counts> hours;
  std::map<std::pair<std::int64_t, std::string>, LinkDelta> links;
  for (std::size_t at = 0; at < s.events.size(); at += 37) {
    std::vector<ActivityEvent> batch(
        s.events.begin() + static_cast<std::ptrdiff_t>(at),
        s.events.begin() + static_cast<std::ptrdiff_t>(std::min(at + 37, s.events.size())));
    Fold f = fold(batch);
    for (const auto& c : f.firsts)
      if (firsts.emplace(c.campaign_id, c.lead_id, c.kind).second) count_first(f, c);
    add_totals(f);
    for (const auto& [k, v] : f.hours) hours[k] += v;
    for (const auto& [k, v] : f.links) {
      links[k].clicks += v.clicks;
      links[k].unique_clicks += v.unique_clicks;
    }
  }
  for (const auto& [k, v] : whole.hours) EXPECT_EQ(hours[k], v) << k.first << "/" << k.second;
  EXPECT_EQ(hours.size(), whole.hours.size());
  for (const auto& [k, v] : whole.links) {
    EXPECT_EQ(links[k].clicks, v.clicks);
    EXPECT_EQ(links[k].unique_clicks, v.unique_clicks);
  }
}

TEST(AnalyticsPrefetch, ProxiesAreFlaggedAndBrowsersAreNot) {
  EXPECT_TRUE(is_prefetch("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
                          "66.249.84.1"));
  EXPECT_TRUE(is_prefetch("Mozilla/5.0", "203.0.113.1"));
  EXPECT_TRUE(is_prefetch(kBrowser, "17.58.63.1"));
  EXPECT_TRUE(is_prefetch(kBrowser, "::ffff:17.1.2.3"));
  EXPECT_TRUE(is_prefetch(kBrowser, "2620:149:a:b::1"));
  EXPECT_TRUE(is_prefetch("YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html", "1.2.3.4"));
  EXPECT_FALSE(is_prefetch(kBrowser, "203.0.113.1"));
  EXPECT_FALSE(is_prefetch(kBrowser, "172.16.0.1"));
  EXPECT_FALSE(is_prefetch(kBrowser, "117.1.2.3"));
  EXPECT_FALSE(is_prefetch("", ""));
}

}  // namespace
}  // namespace herald::analytics
