// The OpenAPI 3.1 document, generated from the route table so it cannot drift.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "http/router.hpp"

namespace herald::api {

nlohmann::json build_openapi(const http::Router& router, const std::string& version);

// "/api/leads/{id}" -> {"id"}
std::vector<std::string> path_parameters(const std::string& path_template);

}  // namespace herald::api
