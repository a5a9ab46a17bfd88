#include "module/module.hpp"

#include <stdexcept>

namespace herald {

void Contributions::set_authorizer(http::Authorizer& authorizer) {
  if (authorizer_) throw std::logic_error("two modules authorise requests");
  authorizer_ = &authorizer;
}

void Contributions::set_request_monitor(http::RequestMonitor& monitor) {
  if (monitor_) throw std::logic_error("two modules monitor requests");
  monitor_ = &monitor;
}

}  // namespace herald
