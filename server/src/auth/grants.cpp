#include "auth/grants.hpp"

#include <algorithm>

#include "core/errors.hpp"

namespace herald::auth {

std::vector<std::string> missing_permissions(const http::Principal& actor, const std::vector<std::string>& wanted) {
  std::vector<std::string> missing;
  for (const auto& p : wanted) {
    if (!actor.has(p)) missing.push_back(p);
  }
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  return missing;
}

void require_holds(const http::Principal& actor, const std::vector<std::string>& wanted, std::string_view action) {
  auto missing = missing_permissions(actor, wanted);
  if (missing.empty()) return;
  std::string list;
  for (const auto& p : missing) list += (list.empty() ? "" : ", ") + p;
  throw Forbidden("you cannot " + std::string(action) + ": it needs " + list +
                  ", which you do not hold; nobody grants what they do not hold");
}

}  // namespace herald::auth
