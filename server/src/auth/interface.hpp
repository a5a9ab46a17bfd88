// What auth offers the other domains. They hold a reference to this
// interface (handed over by the composition root), never auth's store or
// its database handle.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace herald::auth {

class Users {
 public:
  virtual ~Users() = default;
  // Whether a user with this id exists (a lead's owner, say).
  virtual bool exists(std::int64_t user_id) = 0;
  // Every user's id, keyed by lower-case email and by the id as text: how a
  // CSV import's owner column names a user. Read once per import.
  virtual std::unordered_map<std::string, std::int64_t> ids_by_email_and_id() = 0;
};

}  // namespace herald::auth
