#include "http/params.hpp"

#include <charconv>

#include "core/errors.hpp"

namespace herald::http {
namespace {
std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}
}  // namespace

std::int64_t id_param(const Request& req, std::string_view name) {
  auto v = to_int(req.param(name));
  if (!v || *v <= 0)
    throw NotFound("no resource with " + std::string(name) + " '" + std::string(req.param(name)) + "'");
  return *v;
}

std::optional<std::int64_t> int_query(const Request& req, std::string_view name, std::int64_t min, std::int64_t max) {
  auto raw = req.query_param(name);
  if (!raw) return std::nullopt;
  auto v = to_int(*raw);
  if (!v || *v < min || *v > max)
    throw ValidationError(std::string(name),
                          "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  return v;
}

PageParams page_params(const Request& req) {
  PageParams p;
  p.page = int_query(req, "page", 1, 1'000'000'000).value_or(1);
  p.page_size = int_query(req, "page_size", 1, 200).value_or(50);
  return p;
}

}  // namespace herald::http
