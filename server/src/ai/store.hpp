// SQL access for the ai domain: token usage per user and UTC day
// (server/sql/common/ai.sql, table of migration 0011).
#pragma once

#include <cstdint>
#include <string>

#include "ai/chat_types.hpp"
#include "storage/database.hpp"

namespace herald::ai {

struct DayUsage {
  std::int64_t tokens = 0;
  std::int64_t requests = 0;
};

class Store {
 public:
  explicit Store(storage::Database& db) : db_(db) {}
  void add_usage(std::int64_t user_id, const std::string& day, const Usage& usage);
  DayUsage usage(std::int64_t user_id, const std::string& day);

 private:
  storage::Database& db_;
};

}  // namespace herald::ai
