#include "campaigns/lifecycle.hpp"

#include <gtest/gtest.h>

namespace herald::campaigns {
namespace {

constexpr Status kAll[] = {Status::Draft,     Status::Scheduled, Status::Sending, Status::Paused,
                           Status::Completed, Status::Cancelled, Status::Failed};

bool allowed(Action a, Status s) { return !refuse(a, s).has_value(); }

TEST(Lifecycle, StatusNamesRoundTrip) {
  for (auto s : kAll) EXPECT_EQ(parse_status(to_string(s)), s);
  EXPECT_FALSE(parse_status("Sending"));
  EXPECT_FALSE(parse_status("archived"));
}

TEST(Lifecycle, OnlyADraftIsSent) {
  for (auto s : kAll) EXPECT_EQ(allowed(Action::Send, s), s == Status::Draft) << to_string(s);
}

TEST(Lifecycle, PauseResumeAndCancelFollowTheStateMachine) {
  for (auto s : kAll) {
    EXPECT_EQ(allowed(Action::Pause, s), s == Status::Sending) << to_string(s);
    EXPECT_EQ(allowed(Action::Resume, s), s == Status::Paused) << to_string(s);
    EXPECT_EQ(allowed(Action::Cancel, s), s == Status::Scheduled || s == Status::Sending || s == Status::Paused)
        << to_string(s);
  }
}

TEST(Lifecycle, EditingAndDeletingAreRefusedWhileMailIsGoingOut) {
  for (auto s : kAll) {
    EXPECT_EQ(allowed(Action::Edit, s), s == Status::Draft || s == Status::Scheduled || s == Status::Paused)
        << to_string(s);
    EXPECT_EQ(allowed(Action::Delete, s), !(s == Status::Sending || s == Status::Paused || s == Status::Scheduled))
        << to_string(s);
  }
  EXPECT_NE(refuse(Action::Edit, Status::Sending)->find("sending"), std::string::npos);
  EXPECT_TRUE(editable_while_paused("name"));
  EXPECT_TRUE(editable_while_paused("throttle_per_minute"));
  EXPECT_FALSE(editable_while_paused("template_id"));
  EXPECT_FALSE(editable_while_paused("audience"));
}

TEST(Lifecycle, FinalStates) {
  for (auto s : kAll) EXPECT_EQ(is_final(s), s == Status::Completed || s == Status::Cancelled || s == Status::Failed);
}

}  // namespace
}  // namespace herald::campaigns
