// Audit entries and the hash chain that makes tampering evident.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace herald::audit {

struct Entry {
  std::int64_t id = 0;  // assigned when written, in chain order
  std::string created_at;
  std::optional<std::int64_t> user_id;
  std::string actor;     // the user's email at the time
  std::string action;    // UPPER_SNAKE, e.g. USER_CREATED, LOGIN_FAILED, PERMISSION_DENIED
  std::string resource;  // e.g. "user/42"
  std::string ip;
  std::string request_id;
  bool success = true;
  std::string error;
  std::string details = "{}";  // JSON object text
};

nlohmann::json to_json(const Entry& e);

// SHA-256 (hex) over the previous hash and a canonical serialisation of the entry.
std::string chain_hash(const std::string& prev_hash, const Entry& e);
// The prev_hash of the first entry.
inline const std::string kGenesisHash(64, '0');

// Cells starting with = + - @ (or tab/CR) are prefixed with ' so spreadsheets show text, not formulas.
std::string csv_cell(std::string_view value);

}  // namespace herald::audit
