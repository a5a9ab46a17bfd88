#include "auth/users.hpp"

#include "storage/query.hpp"

namespace herald::auth {
namespace {

const storage::Query kUserExists{"auth.user_exists"};
const storage::Query kUserIds{"auth.user_ids"};

}  // namespace

bool UserDirectory::exists(std::int64_t user_id) {
  std::int64_t n = 0;
  db_.acquire()->execute(kUserExists, {user_id}, [&](const storage::Row& r) { n = r.integer(0); });
  return n > 0;
}

std::unordered_map<std::string, std::int64_t> UserDirectory::ids_by_email_and_id() {
  std::unordered_map<std::string, std::int64_t> out;
  db_.acquire()->execute(kUserIds, {}, [&](const storage::Row& r) {
    out.emplace(r.str(1), r.integer(0));
    out.emplace(std::to_string(r.integer(0)), r.integer(0));
  });
  return out;
}

}  // namespace herald::auth
