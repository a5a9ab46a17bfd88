#include "auth/permissions.hpp"

#include <algorithm>
#include <array>

namespace herald::auth {
namespace {

constexpr std::array<std::string_view, 18> kPermissions = {
    "ai:use",        "analytics:read",  "audit:read",  "campaign:create", "campaign:delete", "campaign:read",
    "campaign:send", "lead:delete",     "lead:export", "lead:import",     "lead:read",       "lead:write",
    "role:manage",   "settings:manage", "system:read", "template:read",   "template:write",  "user:manage",
};

std::vector<std::string> all_except(std::initializer_list<std::string_view> excluded) {
  std::vector<std::string> out;
  for (auto p : kPermissions) {
    if (std::find(excluded.begin(), excluded.end(), p) == excluded.end()) out.emplace_back(p);
  }
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

std::span<const std::string_view> all_permissions() { return kPermissions; }

bool is_permission(std::string_view p) { return std::binary_search(kPermissions.begin(), kPermissions.end(), p); }

const std::vector<BuiltinRole>& builtin_roles() {
  static const std::vector<BuiltinRole> roles = {
      {"admin", "Everything, including users, roles and settings", all_except({})},
      {"manager", "Everything but user, role and settings management",
       all_except({"user:manage", "role:manage", "settings:manage"})},
      {"member", "Leads, templates and campaigns; cannot send campaigns or delete leads",
       sorted({"lead:read", "lead:write", "lead:import", "lead:export", "template:read", "template:write",
               "campaign:read", "campaign:create", "campaign:delete", "analytics:read", "ai:use"})},
      {"viewer", "Read only", sorted({"lead:read", "template:read", "campaign:read", "analytics:read"})},
  };
  return roles;
}

bool is_builtin_role(std::string_view name) {
  for (const auto& r : builtin_roles()) {
    if (r.name == name) return true;
  }
  return false;
}

}  // namespace herald::auth
