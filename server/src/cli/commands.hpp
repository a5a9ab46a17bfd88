// The herald sub-commands (SPEC §2). Each returns the process exit code:
// 0 ok, 2 bad usage or configuration, 1 anything else.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace herald::cli {

struct GlobalOptions {
  std::optional<std::filesystem::path> config_file;
};

struct ServeOptions {
  std::optional<std::string> listen;
  bool no_workers = false;
};

int serve(const GlobalOptions& global, const ServeOptions& options);
int migrate(const GlobalOptions& global);
int version();
// Reads the password from standard input (one line).
int user_create(const GlobalOptions& global, const std::string& email, const std::string& role,
                const std::string& name);
// For commands whose feature has not landed yet.
int not_yet_available(const std::string& command);

}  // namespace herald::cli
