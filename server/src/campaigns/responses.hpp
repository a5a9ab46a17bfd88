// campaigns::Responses (campaigns/interface.hpp) over the recipients and the
// event log: what the monitored mailbox brings back about a sent message.
#pragma once

#include "campaigns/interface.hpp"
#include "campaigns/recipient_store.hpp"
#include "storage/database.hpp"

namespace herald::campaigns {

class ResponseLog final : public Responses {
 public:
  explicit ResponseLog(storage::Database& db) : db_(db) {}

  std::optional<RecipientRef> recipient_of(std::string_view message_id) override;
  bool record(const RecipientRef& r, ResponseKind kind, std::int64_t at_ms) override;

 private:
  storage::Database& db_;
  RecipientStore recipients_;
};

}  // namespace herald::campaigns
