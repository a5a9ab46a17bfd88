#include "module/module.hpp"

#include <stdexcept>

namespace herald {

void Contributions::set_authorizer(http::Authorizer& authorizer) {
  if (authorizer_) throw std::logic_error("two modules authorise requests");
  authorizer_ = &authorizer;
}

}  // namespace herald
