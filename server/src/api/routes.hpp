// The route table: every route of the API in one place, with its
// permission and audit action beside it. Handlers live in each domain's routes.cpp.
#pragma once

#include <string>

#include "audit/routes.hpp"
#include "auth/routes.hpp"
#include "health/routes.hpp"
#include "http/router.hpp"
#include "jobs/routes.hpp"
#include "leads/routes.hpp"

namespace herald::api {

// The domain handler objects the table binds to.
struct Handlers {
  health::Routes& health;
  auth::Routes& auth;
  audit::Routes& audit;
  jobs::Routes& jobs;
  leads::Routes& leads;
};

void register_routes(http::Router& router, Handlers& handlers, const std::string& version);

}  // namespace herald::api
