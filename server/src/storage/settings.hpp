// The app_settings table: small key-value settings of the installation
// (today the generated JWT secret). Platform infrastructure like
// schema_migrations: any component may keep a setting here under its own key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace herald::storage {

std::optional<std::string> get_setting(Connection& c, std::string_view key);
void put_setting(Connection& c, std::string_view key, std::string_view value, std::string_view now);
// Stores `value` unless the key has one; returns the value that is stored
// (so processes starting together all read the first writer's value).
std::string put_setting_if_absent(Connection& c, std::string_view key, std::string_view value, std::string_view now);

}  // namespace herald::storage
