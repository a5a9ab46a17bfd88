#include "campaigns/lifecycle.hpp"

#include <array>
#include <utility>

namespace herald::campaigns {
namespace {

constexpr std::array<std::pair<Status, std::string_view>, 7> kStatuses = {{
    {Status::Draft, "draft"},
    {Status::Scheduled, "scheduled"},
    {Status::Sending, "sending"},
    {Status::Paused, "paused"},
    {Status::Completed, "completed"},
    {Status::Cancelled, "cancelled"},
    {Status::Failed, "failed"},
}};

constexpr std::array<std::pair<RecipientState, std::string_view>, 7> kStates = {{
    {RecipientState::Queued, "queued"},
    {RecipientState::Sending, "sending"},
    {RecipientState::Sent, "sent"},
    {RecipientState::Deferred, "deferred"},
    {RecipientState::Failed, "failed"},
    {RecipientState::Skipped, "skipped"},
    {RecipientState::Cancelled, "cancelled"},
}};

std::string in(Status s) { return "the campaign is " + std::string(to_string(s)); }

}  // namespace

std::string_view to_string(Status s) noexcept {
  for (const auto& [k, v] : kStatuses)
    if (k == s) return v;
  return "draft";
}

std::optional<Status> parse_status(std::string_view s) noexcept {
  for (const auto& [k, v] : kStatuses)
    if (v == s) return k;
  return std::nullopt;
}

bool is_final(Status s) noexcept { return s == Status::Completed || s == Status::Cancelled || s == Status::Failed; }

std::string_view to_string(Action a) noexcept {
  switch (a) {
    case Action::Send:
      return "send";
    case Action::Pause:
      return "pause";
    case Action::Resume:
      return "resume";
    case Action::Cancel:
      return "cancel";
    case Action::Edit:
      return "edit";
    case Action::Delete:
      return "delete";
    case Action::Test:
      return "test";
  }
  return "send";
}

std::optional<std::string> refuse(Action action, Status s) {
  switch (action) {
    case Action::Send:
      if (s == Status::Draft) return std::nullopt;
      return in(s) + ": only a draft can be sent (resume a paused one)";
    case Action::Pause:
      if (s == Status::Sending) return std::nullopt;
      return in(s) + ": only a sending campaign can be paused";
    case Action::Resume:
      if (s == Status::Paused) return std::nullopt;
      return in(s) + ": only a paused campaign can be resumed";
    case Action::Cancel:
      if (s == Status::Scheduled || s == Status::Sending || s == Status::Paused) return std::nullopt;
      return in(s) + ": only a scheduled, sending or paused campaign can be cancelled";
    case Action::Edit:
      if (s == Status::Draft || s == Status::Scheduled || s == Status::Paused) return std::nullopt;
      return in(s) + ": only a draft, scheduled or paused campaign can be changed";
    case Action::Delete:
      if (s == Status::Sending || s == Status::Paused || s == Status::Scheduled)
        return in(s) + ": cancel it before deleting it";
      return std::nullopt;
    case Action::Test:
      return std::nullopt;
  }
  return std::nullopt;
}

bool editable_while_paused(std::string_view field) noexcept {
  return field == "name" || field == "throttle_per_minute";
}

std::string_view to_string(RecipientState s) noexcept {
  for (const auto& [k, v] : kStates)
    if (k == s) return v;
  return "queued";
}

std::optional<RecipientState> parse_recipient_state(std::string_view s) noexcept {
  for (const auto& [k, v] : kStates)
    if (v == s) return k;
  return std::nullopt;
}

}  // namespace herald::campaigns
