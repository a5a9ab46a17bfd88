#include "auth/authorizer.hpp"

#include "core/errors.hpp"

namespace herald::auth {

void Authorizer::authorize(http::Request& req, const http::Access& access) {
  auto header = req.header("Authorization");
  if (!header) throw Unauthorized("authentication required: send Authorization: Bearer <token>");
  req.principal = auth_.authenticate(*header);
  if (access.kind == http::Access::Kind::Permission && !req.principal->has(access.permission))
    throw Forbidden("missing permission " + access.permission);
}

}  // namespace herald::auth
