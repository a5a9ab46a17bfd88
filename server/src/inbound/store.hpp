// SQL access for the inbound domain (server/sql/common/inbound.sql): the
// messages read from the monitored mailbox, each applied once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace herald::inbound {

struct Finished {
  std::string outcome;  // reply, bounce_hard, bounce_soft, complaint, auto_reply, unmatched, other, unreadable
  std::optional<std::int64_t> campaign_id, lead_id;
  std::string detail;
};

class Store {
 public:
  explicit Store(storage::Database& db) : db_(db) {}
  // True when this caller now holds the message: nobody had it, or its
  // claim is older than `stale_before_ms` and unfinished (its worker died).
  bool claim(std::string_view key, std::int64_t now_ms, std::int64_t stale_before_ms);
  void finish(std::string_view key, const Finished& f, std::int64_t now_ms);
  void release(std::string_view key);
  // The stored outcome of a finished message; nullopt while it is held.
  std::optional<std::string> outcome(std::string_view key);
  std::map<std::string, std::int64_t> counts();

 private:
  storage::Database& db_;
};

}  // namespace herald::inbound
