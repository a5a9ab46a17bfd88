// The herald sub-commands (SPEC §2). Each returns the process exit code:
// 0 ok, 2 bad usage or configuration, 1 anything else.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace herald::cli {

struct GlobalOptions {
  std::optional<std::filesystem::path> config_file;
};

struct ServeOptions {
  std::optional<std::string> listen;
  bool no_workers = false;
};

struct WorkerCommandOptions {
  std::optional<std::string> queues;  // comma-separated; default all
  std::optional<int> concurrency;     // default HERALD_WORKER_CONCURRENCY
};

int serve(const GlobalOptions& global, const ServeOptions& options);
// Runs workers only (no HTTP) until SIGTERM or SIGINT, then stops gracefully.
int worker(const GlobalOptions& global, const WorkerCommandOptions& options);
int migrate(const GlobalOptions& global);
int version();
// `herald config settings`: every setting's environment name, one a line.
int config_settings();
// `herald config check`: loads the settings (environment and --config) as
// serve would and says "configuration ok"; a bad one exits 2 naming it.
int config_check(const GlobalOptions& global);
// Reads the password from standard input (one line).
int user_create(const GlobalOptions& global, const std::string& email, const std::string& role,
                const std::string& name);
struct ImportLeadsOptions {
  std::string file;
  std::string list;
  std::vector<std::string> tags;
  std::string mode = "create_only";
  std::string mapping;  // JSON object: CSV header -> lead field
  std::string source = "import";
  std::string errors_file;  // where to write the whole per-row report
};
// Stores FILE in the database and applies it like POST /api/leads/import,
// with a progress bar on a terminal. 0 when applied (rows may have been
// reported), 1 when the file could not be imported, 2 for bad usage.
int import_leads(const GlobalOptions& global, const ImportLeadsOptions& options);

}  // namespace herald::cli
