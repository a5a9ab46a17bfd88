// Database URLs as users write them in HERALD_DATABASE_URL. Pure functions, so
// the accepted forms are unit-tested without opening anything.
#pragma once

#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace herald::storage {

struct DatabaseUrl {
  Backend backend;
  // SQLite: the file path as written (absolute or relative to the working
  // directory). PostgreSQL: the whole URL, which libpq parses itself.
  std::string location;
};

// Accepts sqlite:///abs/path.db, sqlite://relative/path.db and
// postgresql:// or postgres:// URLs. Throws DbError naming the problem; the
// message never contains the password.
DatabaseUrl parse_database_url(std::string_view url);

// The URL with the password (user info or a password= parameter) replaced by
// "***", for logs and error messages.
std::string redact_url(std::string_view url);

// `message` with every occurrence of the URL's password (as written and
// percent-decoded) replaced by "***": driver errors sometimes quote the URL.
std::string scrub_secrets(std::string message, std::string_view url);

}  // namespace herald::storage
