#include "audit/types.hpp"

#include "core/crypto.hpp"

namespace herald::audit {

nlohmann::json to_json(const Entry& e) {
  nlohmann::json details = nlohmann::json::parse(e.details, nullptr, false);
  if (details.is_discarded()) details = nlohmann::json::object();
  return {{"id", e.id},
          {"created_at", e.created_at},
          {"user_id", e.user_id ? nlohmann::json(*e.user_id) : nlohmann::json(nullptr)},
          {"actor", e.actor},
          {"action", e.action},
          {"resource", e.resource},
          {"ip", e.ip},
          {"request_id", e.request_id},
          {"success", e.success},
          {"error", e.error},
          {"details", details}};
}

std::string chain_hash(const std::string& prev_hash, const Entry& e) {
  // An array keeps field order fixed; JSON escaping keeps fields from bleeding into each other.
  nlohmann::json canonical =
      nlohmann::json::array({e.id, e.created_at, e.user_id ? nlohmann::json(*e.user_id) : nlohmann::json(nullptr),
                             e.actor, e.action, e.resource, e.ip, e.request_id, e.success, e.error, e.details});
  return crypto::sha256_hex(prev_hash + "\n" +
                            canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string csv_cell(std::string_view v) {
  std::string value(v);
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' || value[0] == '\t' ||
                         value[0] == '\r'))
    value.insert(0, "'");
  bool quote = value.find_first_of(",\"\r\n'") != std::string::npos;
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace herald::audit
