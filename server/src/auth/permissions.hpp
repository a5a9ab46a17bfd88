// Permissions are data ("domain:action"); roles are named sets of them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace herald::auth {

// Every permission Herald knows, sorted.
std::span<const std::string_view> all_permissions();
bool is_permission(std::string_view p);

struct BuiltinRole {
  std::string_view name;
  std::string_view description;
  std::vector<std::string> permissions;  // sorted
};

// admin, manager, member, viewer (SPEC §5).
const std::vector<BuiltinRole>& builtin_roles();
bool is_builtin_role(std::string_view name);

}  // namespace herald::auth
