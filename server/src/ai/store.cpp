#include "ai/store.hpp"

#include "storage/query.hpp"

namespace herald::ai {
namespace {

const storage::Query kUsageAdd{"ai.usage_add"};
const storage::Query kUsageDay{"ai.usage_day"};

}  // namespace

void Store::add_usage(std::int64_t user_id, const std::string& day, const Usage& usage) {
  auto conn = db_.acquire();
  conn->execute(kUsageAdd, {user_id, std::string_view(day), usage.prompt_tokens, usage.completion_tokens});
}

DayUsage Store::usage(std::int64_t user_id, const std::string& day) {
  DayUsage out;
  auto conn = db_.acquire();
  conn->execute(kUsageDay, {user_id, std::string_view(day)}, [&](const storage::Row& r) {
    out.tokens = r.integer(0);
    out.requests = r.integer(1);
  });
  return out;
}

}  // namespace herald::ai
