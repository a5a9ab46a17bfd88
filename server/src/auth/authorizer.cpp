#include "auth/authorizer.hpp"

#include "core/errors.hpp"
#include "storage/database.hpp"

namespace herald::auth {

void Authorizer::authorize(http::Request& req, const http::Access& access) {
  auto header = req.header("Authorization");
  if (!header) throw Unauthorized("authentication required: send Authorization: Bearer <token>");
  try {
    req.principal = auth_.authenticate(*header);
  } catch (const storage::Unavailable&) {
    // The database is down. So that an operator can still read the health
    // report (which says so) and the queue statistics, a caller the database
    // confirmed within the last few minutes keeps reading the system:read routes.
    const bool read = req.method == http::Method::Get || req.method == http::Method::Head;
    if (!read || access.kind != http::Access::Kind::Permission || access.permission != "system:read") throw;
    req.principal = auth_.remembered(*header);
    if (!req.principal) throw;
  }
  if (access.kind == http::Access::Kind::Permission && !req.principal->has(access.permission))
    throw Forbidden("missing permission " + access.permission);
}

}  // namespace herald::auth
