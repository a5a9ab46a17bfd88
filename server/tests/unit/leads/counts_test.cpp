#include "leads/counts.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

namespace herald::leads {
namespace {

using Keys = std::optional<std::vector<std::string>>;

Keys keys(const Params& p) { return exact_keys(parse_filter(p)); }

TEST(Counts, TheTriggersKeepAllStatusesOneTagAndOwners) {
  EXPECT_EQ(keys({}), (Keys{{"all"}}));
  EXPECT_EQ(keys({{"status", "new"}}), (Keys{{"status:new"}}));
  EXPECT_EQ(keys({{"status", "new,replied"}}), (Keys{{"status:new", "status:replied"}}));
  EXPECT_EQ(keys({{"tag", "vip"}}), (Keys{{"tag:vip"}}));
  EXPECT_EQ(keys({{"owner_id", "7"}}), (Keys{{"owner:7"}}));
  EXPECT_EQ(keys({{"owner_id", "none"}}), (Keys{{"owner:"}}));
}

TEST(Counts, AnythingElseIsCounted) {
  EXPECT_EQ(keys({{"tag", "a,b"}}), std::nullopt);  // a lead may have both
  EXPECT_EQ(keys({{"not_tag", "a"}}), std::nullopt);
  EXPECT_EQ(keys({{"status", "new"}, {"tag", "a"}}), std::nullopt);
  EXPECT_EQ(keys({{"q", "acme"}}), std::nullopt);
  EXPECT_EQ(keys({{"country", "DE"}}), std::nullopt);
  EXPECT_EQ(keys({{"cf.plan", "pro"}}), std::nullopt);
  EXPECT_EQ(keys({{"segment_id", "3"}}), std::nullopt);  // resolved first, then asked again
  Filter ids;
  ids.ids = {1, 2};
  EXPECT_EQ(exact_keys(ids), std::nullopt);
  Filter impossible;
  impossible.impossible = true;
  EXPECT_EQ(exact_keys(impossible), std::nullopt);
}

TEST(Counts, AnEmptyTagSelectsNothingOut) { EXPECT_EQ(keys({{"tag", ""}}), (Keys{{"all"}})); }

TEST(Counts, ACountDependsOnWhatItsFilterReads) {
  const Versions v{.all = 9, .rows = 1, .text = 2, .status = 3, .owner = 4, .tags = 5, .other = 6};
  auto search = relevant(v, depends_on(parse_filter({{"q", "acme"}})));
  EXPECT_EQ(search, (Versions{.rows = 1, .text = 2}));
  auto mixed = relevant(v, depends_on(parse_filter({{"status", "new"}, {"tag", "a,b"}, {"country", "DE"}})));
  EXPECT_EQ(mixed, (Versions{.rows = 1, .status = 3, .tags = 5, .other = 6}));
  // A status change leaves a search's count valid, an edited name does not.
  Versions after_status = v;
  after_status.all++;
  after_status.status++;
  EXPECT_EQ(relevant(after_status, depends_on(parse_filter({{"q", "acme"}}))), search);
  Versions after_rename = v;
  after_rename.text++;
  EXPECT_NE(relevant(after_rename, depends_on(parse_filter({{"q", "acme"}}))), search);
}

TEST(Counts, WhatMayTakeLongWaitsOffTheIoThreads) {
  EXPECT_FALSE(waits(parse_filter({}), CountMode::Capped));
  EXPECT_FALSE(waits(parse_filter({{"status", "new"}}), CountMode::Exact));  // kept: free
  EXPECT_TRUE(waits(parse_filter({{"country", "DE"}}), CountMode::Exact));
  EXPECT_FALSE(waits(parse_filter({{"country", "DE"}}), CountMode::Capped));
  EXPECT_FALSE(waits(parse_filter({{"q", "acme"}}), CountMode::Capped));
  EXPECT_TRUE(waits(parse_filter({{"q", "ac"}}), CountMode::Capped));  // no trigram: lead by lead
  EXPECT_TRUE(waits(parse_filter({{"q", "é"}}), CountMode::Capped));
}

TEST(Counts, CountModeParameter) {
  EXPECT_EQ(parse_count_mode(std::nullopt), CountMode::Capped);
  EXPECT_EQ(parse_count_mode("capped"), CountMode::Capped);
  EXPECT_EQ(parse_count_mode("exact"), CountMode::Exact);
  try {
    parse_count_mode("all");
    FAIL() << "accepted count=all";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.errors().at(0).field, "count");
  }
}

}  // namespace
}  // namespace herald::leads
