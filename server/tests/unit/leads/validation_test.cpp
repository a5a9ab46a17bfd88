#include <gtest/gtest.h>

#include <set>

#include "core/errors.hpp"
#include "leads/json_writer.hpp"
#include "leads/types.hpp"

namespace herald::leads {
namespace {

std::set<std::string> fields_of(const std::function<void()>& fn) {
  std::set<std::string> out;
  try {
    fn();
  } catch (const ValidationError& e) {
    for (const auto& f : e.errors()) out.insert(f.field);
  }
  return out;
}

TEST(LeadValidation, EmailsAreNormalisedAndChecked) {
  EXPECT_EQ(normalise_email("  Jane.Doe+news@Example.COM "), "jane.doe+news@example.com");
  EXPECT_EQ(normalise_email("o'brien@mail.example.ie"), "o'brien@mail.example.ie");
  for (auto bad : {"", "plain", "@x.io", "a@", "a@b", "a@@b.io", "a b@x.io", "a@x..io", ".a@x.io", "a.@x.io", "a@-x.io",
                   "a@x.io-", "a<b>@x.io", "a\"b@x.io", "a@x_y.io"}) {
    EXPECT_EQ(normalise_email(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(normalise_email(std::string(250, 'a') + "@x.io"), std::nullopt);
  EXPECT_EQ(email_domain("a@b.example"), "b.example");
}

TEST(LeadValidation, CreateNamesEveryBadField) {
  auto bad = fields_of([] {
    parse_lead_create({{"email", "nope"},
                       {"status", "hot"},
                       {"score", 101},
                       {"phone", "call me"},
                       {"website", "ftp://x.io"},
                       {"timezone", "Mars Time"},
                       {"tags", {"ok", ""}},
                       {"owner_id", "me"},
                       {"custom_fields", {{"bad key", 1}}},
                       {"first_name", std::string(101, 'x')},
                       {"colour", "red"}});
  });
  EXPECT_EQ(bad, (std::set<std::string>{"email", "status", "score", "phone", "website", "timezone", "tags", "owner_id",
                                        "custom_fields", "first_name", "colour"}));
  EXPECT_EQ(fields_of([] { parse_lead_create(nlohmann::json::object()); }), std::set<std::string>{"email"});
  EXPECT_EQ(fields_of([] { parse_lead_create(nlohmann::json::array()); }), std::set<std::string>{"body"});
}

TEST(LeadValidation, CreateKeepsGoodInput) {
  auto in = parse_lead_create({{"email", "A@B.io"},
                               {"first_name", " Ann "},
                               {"tags", {"vip", "vip", "beta"}},
                               {"custom_fields", {{"plan", "pro"}, {"seats", 12}, {"trial", true}, {"gone", nullptr}}},
                               {"owner_id", 3},
                               {"score", 40}});
  EXPECT_EQ(in.email, "a@b.io");
  EXPECT_EQ(in.first_name, "Ann");
  EXPECT_EQ(in.tags, (std::vector<std::string>{"vip", "beta"}));
  EXPECT_EQ(in.custom_fields, (nlohmann::json{{"plan", "pro"}, {"seats", 12}, {"trial", true}}));
  EXPECT_EQ(in.owner_id, 3);
  EXPECT_EQ(in.status, "new");
}

TEST(LeadValidation, CustomFieldLimits) {
  nlohmann::json many = nlohmann::json::object();
  for (int i = 0; i < 51; ++i) many["k" + std::to_string(i)] = i;
  EXPECT_TRUE(custom_fields_problem(many).has_value());
  EXPECT_TRUE(custom_fields_problem({{"nested", {{"a", 1}}}}).has_value());
  EXPECT_TRUE(custom_fields_problem({{"list", {1, 2}}}).has_value());
  EXPECT_TRUE(custom_fields_problem({{"s", std::string(1001, 'x')}}).has_value());
  nlohmann::json big = nlohmann::json::object();
  for (int i = 0; i < 10; ++i) big["k" + std::to_string(i)] = std::string(900, 'x');
  EXPECT_TRUE(custom_fields_problem(big).has_value());
  EXPECT_FALSE(custom_fields_problem({{"ok_key_1", "v"}, {"n", 1.5}, {"b", false}}).has_value());
}

TEST(LeadValidation, PatchIsPartialAndMergesCustomFields) {
  Lead lead;
  lead.email = "a@b.io";
  lead.first_name = "Ann";
  lead.company = "Acme";
  lead.owner_id = 4;
  lead.custom_fields_json = R"({"plan":"pro","seats":3})";
  auto p = parse_lead_patch({{"company", nullptr},
                             {"status", "replied"},
                             {"owner_id", nullptr},
                             {"custom_fields", {{"seats", 5}, {"plan", nullptr}, {"region", "eu"}}}});
  EXPECT_EQ(p.changed, (std::vector<std::string>{"company", "custom_fields", "owner_id", "status"}));
  apply_patch(lead, p);
  EXPECT_EQ(lead.first_name, "Ann");
  EXPECT_EQ(lead.company, "");
  EXPECT_EQ(lead.status, "replied");
  EXPECT_EQ(lead.owner_id, std::nullopt);
  EXPECT_EQ(nlohmann::json::parse(lead.custom_fields_json), (nlohmann::json{{"seats", 5}, {"region", "eu"}}));
  EXPECT_EQ(fields_of([] { parse_lead_patch({{"email", nullptr}}); }), std::set<std::string>{"email"});
  EXPECT_EQ(fields_of([] {
              parse_lead_patch({{"id", 5}, {"created_at", "x"}});
            }),
            (std::set<std::string>{"id", "created_at"}));
}

TEST(LeadValidation, Utf8) {
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("Zoë, 東京, 🚀"));
  EXPECT_FALSE(valid_utf8("\xff"));
  EXPECT_FALSE(valid_utf8("\xc3"));          // truncated
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));      // overlong
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));  // surrogate
  EXPECT_TRUE(text_problem("Zoë", 10) == std::nullopt);
  EXPECT_TRUE(text_problem("tab\there", 100).has_value());
}

TEST(LeadValidation, JsonWriterMatchesNlohmann) {
  Lead l;
  l.id = 42;
  l.email = "a@b.io";
  l.first_name = "Quote \" back \\ slash \n newline \x01 ctl é";
  l.owner_id = 7;
  l.tags_json = R"(["a","b"])";
  l.custom_fields_json = R"({"k":1})";
  l.created_at = l.updated_at = "2026-01-01T00:00:00.000Z";
  auto j = to_json(l);
  EXPECT_EQ(j["first_name"], l.first_name);
  EXPECT_EQ(j["owner_id"], 7);
  EXPECT_EQ(j["tags"], nlohmann::json({"a", "b"}));
  EXPECT_TRUE(j["last_contacted_at"].is_null());
  for (auto key : {"id", "email", "first_name", "last_name", "company", "title", "phone", "website", "country",
                   "timezone", "status", "score", "owner_id", "tags", "custom_fields", "created_at", "updated_at"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("a").begin_array().number(1).string("x").end_array().key("b").boolean(true).end_object();
  EXPECT_EQ(out, R"({"a":[1,"x"],"b":true})");
}

}  // namespace
}  // namespace herald::leads
