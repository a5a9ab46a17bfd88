// Factories for the concrete backends; open_database() picks one from the URL.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "storage/database.hpp"

namespace herald::storage {

// `path` is absolute; its parent directory exists.
std::unique_ptr<Database> make_sqlite_database(std::filesystem::path path, const DatabaseOptions& opts);

// `url` is a postgresql:// URL, handed to libpq as a connection URI.
std::unique_ptr<Database> make_postgres_database(std::string url, const DatabaseOptions& opts);

}  // namespace herald::storage
