#include "audit/module.hpp"

namespace herald::audit {

void Module::contribute(Contributions& c) {
  add_endpoints(c.endpoints(), routes_);
  c.add_observer(auditor_);
}

}  // namespace herald::audit
