// Leads as the service sees them, their public JSON form, and the parsers
// and validators of API input (shared with the CSV import, so a lead is held
// to the same rules whichever way it arrives).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/strings.hpp"

namespace herald::leads {

inline constexpr std::array<std::string_view, 8> kStatuses = {
    "new", "contacted", "replied", "interested", "not_interested", "converted", "unsubscribed", "bounced"};
bool is_status(std::string_view s) noexcept;

// Limits, in bytes of UTF-8.
inline constexpr std::size_t kMaxEmail = 254;
inline constexpr std::size_t kMaxName = 100;
inline constexpr std::size_t kMaxText = 200;  // company, title
inline constexpr std::size_t kMaxPhone = 50;
inline constexpr std::size_t kMaxWebsite = 500;
inline constexpr std::size_t kMaxCountry = 100;
inline constexpr std::size_t kMaxTimezone = 64;
inline constexpr std::size_t kMaxSource = 100;
inline constexpr std::size_t kMaxTag = 64;
inline constexpr std::size_t kMaxTags = 50;
inline constexpr std::size_t kMaxCustomKeys = 50;
inline constexpr std::size_t kMaxCustomKey = 64;
inline constexpr std::size_t kMaxCustomString = 1000;
inline constexpr std::size_t kMaxCustomBytes = 8192;  // the whole object, serialised
inline constexpr std::int64_t kMinScore = 0;
inline constexpr std::int64_t kMaxScore = 100;

// A lead as stored. tags and custom_fields stay the JSON text the database
// holds, so a page of leads is written out without re-parsing them.
struct Lead {
  std::int64_t id = 0;
  std::string email;
  std::string first_name, last_name, company, title, phone, website, country, timezone;
  std::string status = "new";
  std::int64_t score = 0;
  std::optional<std::int64_t> owner_id;
  std::string tags_json = "[]";
  std::string custom_fields_json = "{}";
  std::string source;
  std::string created_at, updated_at;
  std::optional<std::string> last_contacted_at, last_activity_at;
  std::string score_reasons_json = "[]";    // [{feature, weight}] from the last scoring run
  std::optional<std::int64_t> import_id;    // the import that created or last updated it
  std::optional<std::int64_t> import_line;  // and the line of the file it came from
};

// A lead's public fields as views, from a stored Lead (view_of) or straight
// from a database row (leads/store.hpp): what the one JSON writer and the
// CSV export read, so each format is written in one place.
struct LeadView {
  std::int64_t id = 0;
  std::string_view email, first_name, last_name, company, title, phone, website, country, timezone, status;
  std::int64_t score = 0;
  std::optional<std::int64_t> owner_id;
  std::string_view tags_json, custom_fields_json, source, created_at, updated_at;
  std::optional<std::string_view> last_contacted_at, last_activity_at;
  std::string_view score_reasons_json = "[]";
};
LeadView view_of(const Lead& lead);

// Appends the lead's public JSON object to `out` (a hand-written writer: the
// list endpoint serialises tens of thousands of leads a second).
void append_json(std::string& out, const LeadView& lead);
void append_json(std::string& out, const Lead& lead);
nlohmann::json to_json(const Lead& lead);

// Validated input of POST /api/leads (and of one imported row).
struct LeadInput {
  std::string email;
  std::string first_name, last_name, company, title, phone, website, country, timezone;
  std::string status = "new";
  std::int64_t score = 0;
  std::optional<std::int64_t> owner_id;
  std::vector<std::string> tags;
  nlohmann::json custom_fields = nlohmann::json::object();
  std::string source;
};

// Validated input of PATCH /api/leads/{id}: only what was sent. A null clears
// a text field; custom_fields merges (a null value removes that key).
struct LeadPatch {
  std::optional<std::string> email;
  std::optional<std::string> first_name, last_name, company, title, phone, website, country, timezone;
  std::optional<std::string> status;
  std::optional<std::int64_t> score;
  std::optional<std::optional<std::int64_t>> owner_id;  // engaged with nullopt = unassign
  std::optional<std::vector<std::string>> tags;
  std::optional<nlohmann::json> custom_fields;  // a merge patch
  std::optional<std::string> source;
  std::vector<std::string> changed;  // field names, for the audit entry
};

// Parsers: throw ValidationError with one entry per bad field.
LeadInput parse_lead_create(const nlohmann::json& body);
LeadPatch parse_lead_patch(const nlohmann::json& body);
// Applies a patch to a stored lead (custom_fields merged, tags replaced);
// throws ValidationError when the merged custom fields break a limit.
void apply_patch(Lead& lead, const LeadPatch& patch);

// ---- validators, each returning the problem or nothing --------------------

// The canonical form of an address (core/email.hpp: trimmed, lower-cased,
// IDNA 2008 domain); nullopt when it is not one.
std::optional<std::string> normalise_email(std::string_view email);
// The part after '@' of a normalised address.
std::string_view email_domain(std::string_view email);

// `multiline` allows tabs and line breaks (custom field values, notes).
std::optional<std::string> text_problem(std::string_view value, std::size_t max, bool multiline = false);
std::optional<std::string> phone_problem(std::string_view value);
std::optional<std::string> website_problem(std::string_view value);
std::optional<std::string> timezone_problem(std::string_view value);
std::optional<std::string> tag_problem(std::string_view tag);
// Checks keys, value types and sizes of a custom_fields object.
std::optional<std::string> custom_fields_problem(const nlohmann::json& fields);
bool valid_custom_key(std::string_view key) noexcept;

// Adds tags to `into` keeping order and dropping duplicates.
void merge_tags(std::vector<std::string>& into, const std::vector<std::string>& add);
std::string tags_to_json(const std::vector<std::string>& tags);
std::vector<std::string> tags_from_json(std::string_view json_text);

}  // namespace herald::leads
