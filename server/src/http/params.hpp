// Typed access to path and query parameters, with problem+json errors that
// name the parameter.
#pragma once

#include <cstdint>
#include <string_view>

#include "http/types.hpp"

namespace herald::http {

// A positive integer path parameter; 404 when it is not one (no such resource).
std::int64_t id_param(const Request& req, std::string_view name = "id");

struct PageParams {
  std::int64_t page = 1;
  std::int64_t page_size = 50;
};
// page (from 1) and page_size (1..200, default 50); 422 naming the field otherwise.
PageParams page_params(const Request& req);

// An optional integer query parameter; 422 naming it when malformed.
std::optional<std::int64_t> int_query(const Request& req, std::string_view name, std::int64_t min, std::int64_t max);

}  // namespace herald::http
