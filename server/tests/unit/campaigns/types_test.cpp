#include "campaigns/types.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

namespace herald::campaigns {
namespace {

using nlohmann::json;

std::vector<std::string> fields_of(const ValidationError& e) {
  std::vector<std::string> out;
  for (const auto& f : e.errors()) out.push_back(f.field);
  return out;
}

std::vector<std::string> errors_for(const json& body, bool create) {
  try {
    parse_campaign_fields(body, create);
  } catch (const ValidationError& e) {
    return fields_of(e);
  }
  return {};
}

bool names(const std::vector<std::string>& fields, const std::string& f) {
  return std::find(fields.begin(), fields.end(), f) != fields.end();
}

TEST(CampaignFields, CreateNeedsNameTemplateAndAudience) {
  auto e = errors_for(json::object(), true);
  EXPECT_TRUE(names(e, "name"));
  EXPECT_TRUE(names(e, "template_id"));
  EXPECT_TRUE(names(e, "audience"));
  EXPECT_TRUE(errors_for({{"name", "Winter"}, {"template_id", 3}, {"audience", {{"all", true}}}}, true).empty());
}

TEST(CampaignFields, UnknownFieldsAreRefusedByName) {
  auto e = errors_for({{"name", "x"}, {"template_id", 1}, {"audience", {{"all", true}}}, {"stauts", "sending"}}, true);
  EXPECT_TRUE(names(e, "stauts"));
  // send_now is for create only; status is never writable.
  EXPECT_TRUE(names(errors_for({{"send_now", true}}, false), "send_now"));
  EXPECT_TRUE(names(errors_for({{"status", "completed"}}, false), "status"));
}

TEST(CampaignFields, EachBadValueNamesItsField) {
  const json body = {{"name", ""},
                     {"template_id", -1},
                     {"from_email", "not an address"},
                     {"reply_to", 5},
                     {"audience", {{"tags", json::array()}}},
                     {"schedule_mode", "later"},
                     {"scheduled_at", "tomorrow"},
                     {"local_time", "25:00"},
                     {"throttle_per_minute", -5},
                     {"track_opens", "yes"}};
  auto e = errors_for(body, true);
  for (const char* f : {"name", "template_id", "from_email", "reply_to", "audience.tags", "schedule_mode",
                        "scheduled_at", "local_time", "throttle_per_minute", "track_opens"})
    EXPECT_TRUE(names(e, f)) << f;
}

TEST(CampaignFields, AScheduleNeedsItsTime) {
  Campaign c;
  auto f = parse_campaign_fields({{"schedule_mode", "at"}}, false);
  EXPECT_THROW(apply(c, f), ValidationError);
  Campaign d;
  apply(d, parse_campaign_fields({{"scheduled_at", "2026-12-01T09:00:00Z"}}, false));
  EXPECT_EQ(d.schedule_mode, ScheduleMode::At);
  Campaign l;
  apply(l, parse_campaign_fields({{"local_time", "09:00"}, {"timezone", "Europe/Berlin"}}, false));
  EXPECT_EQ(l.schedule_mode, ScheduleMode::LocalTime);
  EXPECT_EQ(l.timezone, "Europe/Berlin");
}

TEST(CampaignFields, BestTimeNeedsNoTimeAndRoundTrips) {
  Campaign b;
  apply(b, parse_campaign_fields({{"schedule_mode", "best_time"}}, false));
  EXPECT_EQ(b.schedule_mode, ScheduleMode::BestTime);
  EXPECT_EQ(to_string(ScheduleMode::BestTime), "best_time");
  EXPECT_EQ(parse_schedule_mode("best_time"), ScheduleMode::BestTime);
  try {
    parse_campaign_fields({{"schedule_mode", "best"}}, false);
    ADD_FAILURE() << "an unknown mode was accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.errors().at(0).field, "schedule_mode");
    EXPECT_NE(e.errors().at(0).message.find("best_time"), std::string::npos);
  }
}

TEST(CampaignFields, AddressesAreNormalised) {
  auto f = parse_campaign_fields({{"from_email", " News@Example.ORG "}}, false);
  EXPECT_EQ(f.from_email, "news@example.org");
}

TEST(TestRequest, TakesOneToTenAddresses) {
  EXPECT_EQ(parse_test_request({{"emails", {"a@example.org", "A@example.org"}}}).size(), 1u);
  EXPECT_THROW(parse_test_request({{"emails", json::array()}}), ValidationError);
  json eleven = json::array();
  for (int i = 0; i < 11; ++i) eleven.push_back("u" + std::to_string(i) + "@example.org");
  EXPECT_THROW(parse_test_request({{"emails", eleven}}), ValidationError);
  try {
    parse_test_request({{"emails", {"ok@example.org", "nope"}}});
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_EQ(fields_of(e), std::vector<std::string>{"emails[1]"});
  }
  EXPECT_THROW(parse_test_request({{"emails", {"a@example.org"}}, {"lead_ids", {1}}}), ValidationError);
}

TEST(CampaignJson, ShowsTheFieldsClientsRelyOn) {
  Campaign c;
  c.id = 7;
  c.name = "Winter";
  c.audience.all = true;
  Stats s;
  s.sent = 3;
  auto j = to_json(c, s, 12.5);
  for (const char* k : {"id", "name", "template_id", "from_name", "from_email", "reply_to", "audience", "scheduled_at",
                        "send_now", "throttle_per_minute", "track_opens", "track_clicks", "status", "stats",
                        "rate_per_minute", "created_at", "updated_at", "started_at", "completed_at"})
    EXPECT_TRUE(j.contains(k)) << k;
  for (const char* k :
       {"recipients", "queued", "sent", "failed", "opened", "clicked", "replied", "bounced", "unsubscribed"})
    EXPECT_TRUE(j["stats"].contains(k)) << k;
  EXPECT_EQ(j["stats"]["sent"], 3);
  EXPECT_EQ(j["audience"], json({{"all", true}}));
  EXPECT_FALSE(j.contains("generation"));
  EXPECT_FALSE(j.contains("expand_after"));
}

}  // namespace
}  // namespace herald::campaigns
