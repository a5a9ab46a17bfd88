#include "advisor/module.hpp"

namespace herald::advisor {

Module::Module(Deps /*deps*/) {}

void Module::contribute(Contributions& c) { add_endpoints(c.endpoints(), routes_); }

}  // namespace herald::advisor
