#include "templates/module.hpp"

namespace herald::templates {

Module::Module(Deps d)
    : service_(d.db, d.clock, d.leads, d.settings, d.transport, PreviewContext{d.config.public_url}),
      catalog_(service_),
      routes_(service_) {}

void Module::contribute(Contributions& c) { add_endpoints(c.endpoints(), routes_); }

}  // namespace herald::templates
