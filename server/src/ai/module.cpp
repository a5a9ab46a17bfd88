#include "ai/module.hpp"

namespace herald::ai {

Module::Module(Deps d)
    : service_(Store(d.db), d.clock, d.settings, d.leads, d.catalog, d.endpoints), routes_(service_, streams_) {}

void Module::contribute(Contributions& c) { add_endpoints(c.endpoints(), routes_); }

}  // namespace herald::ai
