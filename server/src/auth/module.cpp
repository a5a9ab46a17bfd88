#include "auth/module.hpp"

namespace herald::auth {

Module::Module(Deps deps)
    : auth_(deps.db, deps.config, deps.clock, deps.limiter),
      admin_(auth_),
      authorizer_(auth_),
      routes_(auth_, admin_),
      users_(deps.db) {
  auth_.bootstrap(deps.create_first_admin);
}

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  c.set_authorizer(authorizer_);
}

}  // namespace herald::auth
