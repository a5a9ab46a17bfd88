// A campaign's states and what each action may do in each, as values. Pure.
//
//   draft ──send──▶ scheduled ──(its time comes)──▶ sending ──▶ completed
//     │               │                               │  ▲
//     │               │                         pause │  │ resume
//     │               │                               ▼  │
//     │               └──────cancel──▶ cancelled ◀── paused
//     └──send (now, local time)──────▶ sending ──cancel──▶ cancelled
//   sending ──(cannot start: template gone, no sender)──▶ failed
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace herald::campaigns {

enum class Status { Draft, Scheduled, Sending, Paused, Completed, Cancelled, Failed };

std::string_view to_string(Status s) noexcept;
std::optional<Status> parse_status(std::string_view s) noexcept;
// completed, cancelled and failed: nothing happens to it any more.
bool is_final(Status s) noexcept;

enum class Action { Send, Pause, Resume, Cancel, Edit, Delete, Test };
std::string_view to_string(Action a) noexcept;

// Whether `action` is allowed in `status`; when not, the reason for a 409.
std::optional<std::string> refuse(Action action, Status status);

// What PATCH may change while paused (the template and audience are fixed
// once sending started).
bool editable_while_paused(std::string_view field) noexcept;

// Recipients' states.
enum class RecipientState { Queued, Sending, Sent, Deferred, Failed, Skipped, Cancelled };
std::string_view to_string(RecipientState s) noexcept;
std::optional<RecipientState> parse_recipient_state(std::string_view s) noexcept;

}  // namespace herald::campaigns
