// Nobody grants what they do not hold. Every change that hands out
// permissions (assigning a role, creating a user or a role, changing a role's
// permissions, creating an API key) and every change to a user's account
// needs an actor who holds all the permissions involved. Pure logic.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/principal.hpp"

namespace herald::auth {

// The permissions in `wanted` that `actor` does not hold, sorted and unique.
std::vector<std::string> missing_permissions(const http::Principal& actor, const std::vector<std::string>& wanted);

// Throws Forbidden (403) naming the missing permissions unless `actor` holds
// every one of `wanted`. `action` says what was tried, e.g. "assign role 'admin'".
void require_holds(const http::Principal& actor, const std::vector<std::string>& wanted, std::string_view action);

}  // namespace herald::auth
