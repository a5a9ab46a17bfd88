#include "auth/grants.hpp"

#include <gtest/gtest.h>

#include "auth/permissions.hpp"
#include "core/errors.hpp"

namespace herald::auth {
namespace {

http::Principal holding(std::vector<std::string> perms) {
  http::Principal p;
  p.user_id = 7;
  std::sort(perms.begin(), perms.end());
  p.permissions = std::move(perms);
  return p;
}

std::vector<std::string> everything() {
  std::vector<std::string> out;
  for (auto p : all_permissions()) out.emplace_back(p);
  return out;
}

TEST(Grants, WhatIsHeldMayBeGranted) {
  auto actor = holding({"lead:read", "lead:write", "user:manage"});
  EXPECT_TRUE(missing_permissions(actor, {}).empty());
  EXPECT_TRUE(missing_permissions(actor, {"lead:read", "user:manage"}).empty());
  EXPECT_NO_THROW(require_holds(actor, {"lead:write"}, "assign role 'x'"));
  EXPECT_NO_THROW(require_holds(holding(everything()), everything(), "assign role 'admin'"));
}

TEST(Grants, AnythingNotHeldIsNamedAndRefused) {
  auto actor = holding({"user:manage"});
  EXPECT_EQ(missing_permissions(actor, {"role:manage", "audit:read", "user:manage", "audit:read"}),
            (std::vector<std::string>{"audit:read", "role:manage"}));
  try {
    require_holds(actor, {"user:manage", "settings:manage"}, "assign role 'admin'");
    FAIL() << "expected Forbidden";
  } catch (const Forbidden& e) {
    EXPECT_EQ(e.status(), 403);
    std::string what = e.what();
    EXPECT_NE(what.find("assign role 'admin'"), std::string::npos) << what;
    EXPECT_NE(what.find("settings:manage"), std::string::npos) << what;
    EXPECT_EQ(what.find("user:manage,"), std::string::npos) << what;  // held, so not listed
  }
}

TEST(Grants, ManagingUsersOrRolesAloneGrantsNothingElse) {
  for (const char* only : {"user:manage", "role:manage"}) {
    auto actor = holding({only});
    for (const auto& role : builtin_roles()) {
      bool covered = missing_permissions(actor, role.permissions).empty();
      EXPECT_FALSE(covered) << only << " may not hand out role " << role.name;
    }
    EXPECT_THROW(require_holds(actor, everything(), "create a role"), Forbidden) << only;
  }
}

}  // namespace
}  // namespace herald::auth
