// leads::Leads, what the other domains use, on both backends: the recipients
// of every kind of audience in keyset batches without the leads that must
// not be mailed, and status changes with their audit entries.
#include <gtest/gtest.h>

#include <set>

#include "audit/log.hpp"
#include "auth/users.hpp"
#include "core/errors.hpp"
#include "leads/directory.hpp"
#include "leads/segments.hpp"
#include "storage/migrations.hpp"
#include "support/test_databases.hpp"

namespace herald::test {
namespace {

using namespace herald::leads;

class LeadsInterfaceTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    storage::migrate(db());
    users_ = std::make_unique<auth::UserDirectory>(db());
    audit_ = std::make_unique<audit::AuditLog>(db(), clock_);
    leads_ = std::make_unique<LeadService>(db(), clock_, *users_, 0);
    segments_ = std::make_unique<SegmentService>(db(), clock_, *leads_);
    suppressions_ = std::make_unique<SuppressionService>(db(), clock_);
    directory_ = std::make_unique<Directory>(db(), clock_, *leads_, *suppressions_, *audit_);
  }
  void TearDown() override {
    directory_.reset();
    suppressions_.reset();
    segments_.reset();
    leads_.reset();
    audit_.reset();
    users_.reset();
    BackendTest::TearDown();
  }

  std::int64_t add(const std::string& email, std::vector<std::string> tags = {}, std::string status = "new") {
    LeadInput in;
    in.email = email;
    in.tags = std::move(tags);
    in.status = std::move(status);
    return leads_->create(in).id;
  }

  // Every recipient of an audience, in batches of `batch`; checks each batch's size.
  std::vector<std::string> all_recipients(const Audience& a, std::size_t batch) {
    std::vector<std::string> out;
    std::int64_t after = 0;
    for (int guard = 0; guard < 10000; ++guard) {
      auto b = directory_->recipients(a, after, batch);
      EXPECT_LE(b.leads.size(), batch);
      for (const auto& l : b.leads) out.push_back(l.email);
      if (b.done) return out;
      EXPECT_GT(b.next_after, after);
      after = b.next_after;
    }
    ADD_FAILURE() << "the batches never ended";
    return out;
  }

  ManualClock clock_;
  std::unique_ptr<auth::UserDirectory> users_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<LeadService> leads_;
  std::unique_ptr<SegmentService> segments_;
  std::unique_ptr<SuppressionService> suppressions_;
  std::unique_ptr<Directory> directory_;
};

TEST_P(LeadsInterfaceTest, RecipientsOfEveryKindOfAudienceLeaveOutWhoMustNotBeMailed) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 25; ++i)
    ids.push_back(add("lead" + std::to_string(i) + "@example.com", {i % 2 ? "odd" : "even"}));
  add("gone@example.com", {"odd"}, "unsubscribed");
  add("bounced@example.com", {"odd"}, "bounced");
  add("listed@example.com", {"odd"});
  add("someone@blocked.example", {"odd"});
  add("erased@example.com", {"odd"});
  suppressions_->create({"email", "listed@example.com", "manual", ""}, std::nullopt);
  suppressions_->create({"domain", "blocked.example", "complaint", ""}, std::nullopt);
  {
    // An address erased earlier is on the list by its hash only.
    auto conn = db().acquire();
    suppressions_->add_hash_only(*conn, "erased@example.com", std::nullopt);
  }

  auto everyone = all_recipients({.all = true}, 4);
  EXPECT_EQ(everyone.size(), 25u);
  for (const auto& email : {"gone@example.com", "bounced@example.com", "listed@example.com", "someone@blocked.example",
                            "erased@example.com"}) {
    EXPECT_EQ(std::count(everyone.begin(), everyone.end(), email), 0) << email;
  }
  EXPECT_EQ(std::set<std::string>(everyone.begin(), everyone.end()).size(), everyone.size()) << "a lead came twice";

  EXPECT_EQ(all_recipients({.tags = {"odd"}}, 5).size(), 12u);
  EXPECT_EQ(all_recipients({.tags = {"odd", "even"}}, 100).size(), 25u);
  EXPECT_EQ(all_recipients({.lead_ids = {ids[0], ids[3], ids[24]}}, 2),
            (std::vector<std::string>{"lead0@example.com", "lead3@example.com", "lead24@example.com"}));

  SegmentInput in;
  in.name = "Even";
  in.filter = nlohmann::json{{"tag", "even"}};
  auto segment = segments_->create(in, std::nullopt);
  EXPECT_EQ(all_recipients({.segment_id = segment.segment.id}, 3).size(), 13u);
  try {
    directory_->recipients({.segment_id = 999999}, 0, 10);
    FAIL() << "an unknown segment was accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.errors().at(0).field, "audience.segment_id");
  }
}

TEST_P(LeadsInterfaceTest, AnUnsubscribeSetsTheStatusSuppressesTheAddressAndIsAuditedOnce) {
  auto id = add("ann@example.com");
  EXPECT_FALSE(directory_->is_suppressed("ann@example.com"));
  EXPECT_TRUE(directory_->change_status(
      {.lead_id = id, .event = LeadEvent::Unsubscribed, .source = "campaign/7", .request_id = "req-1"}));
  EXPECT_EQ(directory_->find(id)->status, "unsubscribed");
  EXPECT_TRUE(directory_->is_suppressed("Ann@Example.com"));
  EXPECT_TRUE(all_recipients({.all = true}, 10).empty());
  // A second unsubscribe (the link clicked twice) changes nothing.
  EXPECT_FALSE(directory_->change_status({.lead_id = id, .event = LeadEvent::Unsubscribed, .source = "campaign/7"}));
  // A reply does not make an unsubscribed lead mailable again.
  EXPECT_FALSE(directory_->change_status({.lead_id = id, .event = LeadEvent::Replied, .source = "campaign/7"}));

  auto history = audit_->history("lead/" + std::to_string(id), 10);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].action, "LEAD_UNSUBSCRIBED");
  EXPECT_EQ(history[0].request_id, "req-1");
  auto details = nlohmann::json::parse(history[0].details);
  EXPECT_EQ(details["from"], "new");
  EXPECT_EQ(details["source"], "campaign/7");
}

TEST_P(LeadsInterfaceTest, BouncesAndRepliesChangeTheStatus) {
  auto bounced = add("bob@example.com");
  auto replied = add("cat@example.com", {}, "contacted");
  EXPECT_TRUE(directory_->change_status({.lead_id = bounced, .event = LeadEvent::Bounced, .source = "smtp 550"}));
  EXPECT_TRUE(directory_->change_status({.lead_id = replied, .event = LeadEvent::Replied, .source = "campaign/3"}));
  EXPECT_EQ(directory_->find(bounced)->status, "bounced");
  EXPECT_TRUE(directory_->is_suppressed("bob@example.com"));
  EXPECT_EQ(directory_->find(replied)->status, "replied");
  EXPECT_FALSE(directory_->is_suppressed("cat@example.com"));
  EXPECT_EQ(all_recipients({.all = true}, 10), std::vector<std::string>{"cat@example.com"});
  EXPECT_EQ(audit_->history("lead/" + std::to_string(bounced), 10).at(0).action, "LEAD_BOUNCED");
  EXPECT_EQ(audit_->history("lead/" + std::to_string(replied), 10).at(0).action, "LEAD_REPLIED");
  EXPECT_EQ(directory_->find_id("CAT@example.com"), replied);
  EXPECT_THROW(directory_->change_status({.lead_id = 999999, .event = LeadEvent::Bounced}), NotFound);
}

TEST(Audience, ParsesTheFourKindsAndNamesBadFields) {
  EXPECT_TRUE(parse_audience({{"all", true}}).all);
  EXPECT_EQ(parse_audience({{"segment_id", 3}}).segment_id, 3);
  EXPECT_EQ(parse_audience({{"tags", {"a", "b", "a"}}}).tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parse_audience({{"lead_ids", {1, 2}}}).lead_ids, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(to_json(parse_audience({{"tags", {"x"}}})), nlohmann::json({{"tags", {"x"}}}));
  auto field_of = [](const nlohmann::json& body) {
    try {
      parse_audience(body);
    } catch (const ValidationError& e) {
      return e.errors().at(0).field;
    }
    return std::string("accepted");
  };
  EXPECT_EQ(field_of({{"all", true}, {"segment_id", 3}}), "audience");
  EXPECT_EQ(field_of(nlohmann::json::object()), "audience");
  EXPECT_EQ(field_of({{"all", false}}), "audience.all");
  EXPECT_EQ(field_of({{"segment_id", "3"}}), "audience.segment_id");
  EXPECT_EQ(field_of({{"tags", nlohmann::json::array()}}), "audience.tags");
  EXPECT_EQ(field_of({{"tags", {"a,b"}}}), "audience.tags");
  EXPECT_EQ(field_of({{"lead_ids", {1, -2}}}), "audience.lead_ids");
  EXPECT_EQ(field_of({{"everyone", true}}), "audience.everyone");
  EXPECT_EQ(field_of("all"), "audience");
}

INSTANTIATE_TEST_SUITE_P(Backends, LeadsInterfaceTest, all_backends(), backend_test_name);

}  // namespace
}  // namespace herald::test
