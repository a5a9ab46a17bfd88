// auth::Users over the users table.
#pragma once

#include "auth/interface.hpp"
#include "storage/database.hpp"

namespace herald::auth {

class UserDirectory final : public Users {
 public:
  explicit UserDirectory(storage::Database& db) : db_(db) {}
  bool exists(std::int64_t user_id) override;
  std::unordered_map<std::string, std::int64_t> ids_by_email_and_id() override;

 private:
  storage::Database& db_;
};

}  // namespace herald::auth
